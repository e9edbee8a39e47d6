package org.acme.bank.ledger;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import org.acme.bank.config.BankConfig;
import org.jboss.logging.Logger;

/**
 * Forgets idempotency keys after {@code bank.idempotency.retention}; the transfers themselves stay. Every instance
 * schedules the purge; it deletes in batches of {@code bank.idempotency.purge-batch-size}, one instance at a time
 * ({@link OneInstanceBatches}).
 */
@ApplicationScoped
public class IdempotencyKeyPurge {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeyPurge.class);

    /** The advisory lock that elects the purging instance: any number unique to this purpose ("idempurg"). */
    static final long ADVISORY_LOCK = 0x6964656d70757267L;

    /** The keys of transfers and transactions, then those of holds: the same columns, their own tables. */
    private static final List<String> DELETE_BATCHES = Stream.of("idempotency_key", "hold_key").map(table -> """
            delete from %1$s
             where (key, subject) in (select key, subject from %1$s where created_at < ? order by created_at limit ?)
            """.formatted(table)).toList();

    private final DataSource dataSource;
    private final BankConfig.IdempotencySettings settings;

    IdempotencyKeyPurge(DataSource dataSource, BankConfig config) {
        this.dataSource = dataSource;
        this.settings = config.idempotency();
    }

    @Scheduled(every = "${bank.idempotency.purge-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() throws SQLException {
        long purged = purgeOlderThan(settings.retention());
        if (purged > 0) {
            LOG.infof("Purged %d idempotency keys older than %s", purged, settings.retention());
        }
    }

    /** Deletes the keys older than {@code retention} and says how many; none while another instance purges. */
    public long purgeOlderThan(Duration retention) throws SQLException {
        Timestamp cutoff = Timestamp.from(Instant.now().minus(retention));
        long purged = 0;
        for (String deleteBatch : DELETE_BATCHES) {
            purged += OneInstanceBatches.run(dataSource, ADVISORY_LOCK, settings.purgeBatchSize(), connection -> {
                try (PreparedStatement delete = connection.prepareStatement(deleteBatch)) {
                    delete.setTimestamp(1, cutoff);
                    delete.setInt(2, settings.purgeBatchSize());
                    return delete.executeUpdate();
                }
            });
        }
        return purged;
    }
}
