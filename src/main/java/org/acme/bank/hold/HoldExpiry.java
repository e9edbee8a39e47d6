package org.acme.bank.hold;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import org.acme.bank.config.BankConfig;
import org.acme.bank.ledger.OneInstanceBatches;
import org.jboss.logging.Logger;

/**
 * Marks expired holds and gives back what they reserved. Nothing waits for it: {@code available} ignores a hold from
 * its expiry instant on, and posting one is refused. Every instance schedules it; it releases in batches of
 * {@code bank.hold.expiry-batch-size}, one instance at a time ({@link OneInstanceBatches}): killed in the middle of a
 * batch, the batch rolls back whole and the next run does it again.
 */
@ApplicationScoped
public class HoldExpiry {

    private static final Logger LOG = Logger.getLogger(HoldExpiry.class);

    /** The advisory lock that elects the releasing instance ("holdexpr"). */
    static final long ADVISORY_LOCK = 0x686f6c6465787072L;

    /** A batch: the oldest expired holds still pending. */
    private static final String PICK = """
            select id, from_account_id from hold where status = 'pending' and expires_at <= ? order by expires_at limit ?
            """;

    /** Their senders, locked in id order: accounts before holds, as everywhere. */
    private static final String LOCK_SENDERS = "select id from account where id = any (?) order by id for no key update";

    /**
     * Those still pending (one posted or voided since it was picked is left as it is) marked expired as of their
     * expiry instant, and each sender's held reduced by what they reserved; the sender's time reaches the latest of
     * those instants, so that no later entry is stamped, nor any balance read, before a release it follows.
     */
    private static final String RELEASE = """
            with released as (update hold set status = 'expired', resolved_at = expires_at
                               where id = any (?) and status = 'pending'
                              returning from_account_id, amount, expires_at)
            update account set held = held - freed.amount, version = version + 1,
                               last_entry_at = greatest(last_entry_at, freed.latest)
              from (select from_account_id, sum(amount) as amount, max(expires_at) as latest
                      from released group by from_account_id) as freed
             where account.id = freed.from_account_id
            """;

    private final DataSource dataSource;
    private final BankConfig.HoldSettings settings;

    HoldExpiry(DataSource dataSource, BankConfig config) {
        this.dataSource = dataSource;
        this.settings = config.hold();
    }

    @Scheduled(every = "${bank.hold.expire-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() throws SQLException {
        long released = releaseExpired(Instant.now());
        if (released > 0) {
            LOG.infof("Released %d expired holds", released);
        }
    }

    /**
     * Releases the holds expired by {@code at}, batch after batch, and says how many it picked; none while another
     * instance runs it.
     */
    public long releaseExpired(Instant at) throws SQLException {
        return OneInstanceBatches.run(dataSource, ADVISORY_LOCK, settings.expiryBatchSize(), connection -> {
            try (PreparedStatement pick = connection.prepareStatement(PICK);
                    PreparedStatement lockSenders = connection.prepareStatement(LOCK_SENDERS);
                    PreparedStatement release = connection.prepareStatement(RELEASE)) {
                pick.setTimestamp(1, Timestamp.from(at));
                pick.setInt(2, settings.expiryBatchSize());
                List<Long> holds = new ArrayList<>();
                Set<Long> senders = new TreeSet<>();
                try (ResultSet rows = pick.executeQuery()) {
                    while (rows.next()) {
                        holds.add(rows.getLong(1));
                        senders.add(rows.getLong(2));
                    }
                }
                if (!holds.isEmpty()) {
                    lockSenders.setArray(1, connection.createArrayOf("bigint", senders.toArray()));
                    lockSenders.executeQuery().close();
                    release.setArray(1, connection.createArrayOf("bigint", holds.toArray()));
                    release.executeUpdate();
                }
                return holds.size();
            }
        });
    }
}
