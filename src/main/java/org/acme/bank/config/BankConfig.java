package org.acme.bank.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code bank.*} setting, with its default. Profiles in application.properties override them. */
@ConfigMapping(prefix = "bank")
public interface BankConfig {

    TransferSettings transfer();

    IdempotencySettings idempotency();

    AuditSettings audit();

    interface AuditSettings {

        /** The longest an audit may run ({@code statement_timeout}); past it the audit is answered 503. */
        @WithDefault("10s")
        Duration timeout();
    }

    interface IdempotencySettings {

        /** How long a key is remembered: a retry with the same key after this is a new transfer. */
        @WithDefault("24h")
        Duration retention();

        /** How often expired keys are purged. */
        @WithDefault("1h")
        String purgeEvery();

        /** Keys deleted per statement (and so per transaction) by the purge. */
        @WithDefault("1000")
        int purgeBatchSize();
    }

    interface TransferSettings {

        /**
         * Upper bound of every row-lock wait: PostgreSQL's {@code lock_timeout}, set on each new pooled connection
         * ({@code quarkus.datasource.jdbc.new-connection-sql} in application.properties reads this setting).
         */
        @WithDefault("5s")
        Duration lockTimeout();

        /**
         * Slept between the first and the second lock (and between reads and flush in optimistic) to widen the
         * race window for demonstrations. Zero in normal operation.
         */
        @WithDefault("0s")
        Duration pauseBetweenLocks();

        Optimistic optimistic();

        Naive naive();

        Batched batched();
    }

    interface Batched {

        /** Transfers applied in one transaction at most: the writer takes whatever queued, up to this many. */
        @WithDefault("200")
        int maxSize();

        /** Transfers that may wait for a writer; a request beyond it is answered 503 at once. */
        @WithDefault("10000")
        int maxQueue();

        /** The longest a request waits in the queue before it is answered 503 (never once its batch has begun). */
        @WithDefault("10s")
        Duration maxWait();
    }

    interface Optimistic {

        /** Attempts in total, the first included. */
        @WithDefault("10")
        int maxAttempts();

        @WithDefault("5ms")
        Duration backoffInitial();

        @WithDefault("200ms")
        Duration backoffMax();
    }

    interface Naive {

        /** The deadlock demonstration; off unless a profile turns it on. */
        @WithDefault("false")
        boolean enabled();
    }
}
