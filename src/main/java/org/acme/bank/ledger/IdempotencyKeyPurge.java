package org.acme.bank.ledger;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import org.acme.bank.config.BankConfig;
import org.jboss.logging.Logger;

/** Forgets idempotency keys after {@code bank.idempotency.retention}; the transfers themselves stay. */
@ApplicationScoped
public class IdempotencyKeyPurge {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeyPurge.class);

    private final LedgerService ledger;
    private final BankConfig config;

    IdempotencyKeyPurge(LedgerService ledger, BankConfig config) {
        this.ledger = ledger;
        this.config = config;
    }

    @Scheduled(every = "${bank.idempotency.purge-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        long purged = ledger.purgeIdempotencyKeysOlderThan(config.idempotency().retention());
        if (purged > 0) {
            LOG.infof("Purged %d idempotency keys older than %s", purged, config.idempotency().retention());
        }
    }
}
