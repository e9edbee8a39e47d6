package org.acme.bank.config;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Every {@code bank.*} setting, with its default. Profiles in application.properties override them. A setting that
 * breaks its rule stops startup with a line naming it (Bean Validation of the mapping).
 */
@ConfigMapping(prefix = "bank")
public interface BankConfig {

    String POSITIVE = "must be a positive duration";
    String NOT_NEGATIVE = "must not be negative";
    String AT_LEAST_A_MILLISECOND = "must be at least 1ms";

    TransferSettings transfer();

    TransactionSettings transaction();

    BulkSettings bulk();

    DatasourceSettings datasource();

    IdempotencySettings idempotency();

    AuditSettings audit();

    HoldSettings hold();

    IdentitySettings identity();

    interface IdentitySettings {

        TokenCache tokenCache();

        /**
         * Bearer tokens already verified, remembered by their exact text until they expire, so that a client's next
         * requests with the same token skip the signature and the claims ({@code VerifiedTokens}).
         */
        interface TokenCache {

            /**
             * The most tokens remembered at once; 0 verifies every request's token. Each holds the token and its
             * parsed claims: a few KB, some tens of KB for the longest token accepted (8 KB).
             */
            @WithDefault("1000")
            @Min(0)
            int maxSize();

            /**
             * The longest a token is remembered after its verification, however long it is valid: how long a token
             * signed with a key the provider has since withdrawn can still be accepted.
             */
            @WithDefault("5m")
            @DurationMin(seconds = 1, message = "must be at least 1s")
            Duration maxAge();
        }
    }

    interface HoldSettings {

        /** The longest a hold may reserve money ({@code expiresIn}) before it expires. */
        @WithDefault("720h")
        @DurationMin(seconds = 1, message = "must be at least 1s")
        Duration maxExpiry();

        /** How often expired holds are marked and released; {@code available} ignores them from expiry on anyway. */
        @WithDefault("10s")
        @DurationMin(seconds = 1, message = "must be at least 1s")
        Duration expireEvery();

        /** Holds released per transaction by the clean-up. */
        @WithDefault("1000")
        @Min(1)
        int expiryBatchSize();
    }

    interface TransactionSettings {

        /** The most legs one transaction may have; it has at least two. */
        @WithDefault("16")
        @Min(2)
        int maxLegs();
    }

    interface BulkSettings {

        /** The most transfers one {@code POST /transfers/bulk} may carry. */
        @WithDefault("1000")
        @Min(1)
        int maxItems();

        /**
         * The body limit of {@code POST /transfers/bulk} alone (every other route keeps
         * {@code quarkus.http.limits.max-body-size}): 1000 transfers of the longest form, 64-bit ids, the largest
         * amount and a 255-character key, take about 370 KB.
         */
        @WithDefault("1M")
        MemorySize maxBodySize();
    }

    interface DatasourceSettings {

        /**
         * The datasource is a transaction pooler (PgBouncer's {@code pool_mode = transaction}), which lends a server
         * connection for one transaction at a time: a session setting would reach only the server connection it ran
         * on. The lock timeout is then the database role's default ({@code ALTER ROLE ... IN DATABASE ... SET
         * lock_timeout}), which the service checks at startup ({@code TransactionPoolingCheck}) instead of setting it
         * on each connection.
         */
        @WithDefault("false")
        boolean transactionPooling();
    }

    interface AuditSettings {

        /**
         * The longest an incremental audit may run ({@code statement_timeout}); past it the audit is answered 503.
         */
        @WithDefault("10s")
        @DurationMin(millis = 1, message = AT_LEAST_A_MILLISECOND)
        Duration timeout();

        /** The longest a full re-check ({@code GET /audit?full=true}) may run: it reads the whole ledger. */
        @WithDefault("10m")
        @DurationMin(millis = 1, message = AT_LEAST_A_MILLISECOND)
        Duration fullTimeout();
    }

    interface IdempotencySettings {

        /** How long a key is remembered: a retry with the same key after this is a new transfer. */
        @WithDefault("24h")
        @DurationMin(nanos = 1, message = POSITIVE)
        Duration retention();

        /** How often expired keys are purged ({@code @Scheduled} reads the same setting). */
        @WithDefault("1h")
        @DurationMin(seconds = 1, message = "must be at least 1s")
        Duration purgeEvery();

        /** Keys deleted per statement (and so per transaction) by the purge. */
        @WithDefault("1000")
        @Min(1)
        int purgeBatchSize();
    }

    interface TransferSettings {

        /**
         * Upper bound of every row-lock wait: PostgreSQL's {@code lock_timeout}, set on each new pooled connection
         * in milliseconds ({@link LockTimeoutOnConnect}).
         */
        @WithDefault("5s")
        @DurationMin(millis = 1, message = AT_LEAST_A_MILLISECOND + " (0 would let a lock wait forever)")
        Duration lockTimeout();

        /**
         * Upper bound of a COMMIT's wait for a synchronous standby, in whole seconds (rounded up): the COMMIT's query
         * timeout ({@code ConfirmedCommit}). A commit not confirmed by then stays committed on the primary alone and
         * is answered 503 outcome-unknown.
         */
        @WithDefault("10s")
        @DurationMin(seconds = 1, message = "must be at least 1s (0 would let a COMMIT wait forever)")
        Duration commitTimeout();

        /**
         * Slept between the first and the second lock (and between reads and flush in optimistic) to widen the
         * race window for demonstrations. Zero in normal operation.
         */
        @WithDefault("0s")
        @DurationMin(nanos = 0, message = NOT_NEGATIVE)
        Duration pauseBetweenLocks();

        Optimistic optimistic();

        Naive naive();

        Batched batched();
    }

    interface Batched {

        /**
         * Writers, each applying its batches in a transaction of its own connection. Their batches lock accounts in
         * the same (id) order, so they may wait on each other, never deadlock. Two measured 1.3x to 1.6x one under
         * load (one builds and answers its batch while the other's statements are in flight); see docs/lab.md.
         */
        @WithDefault("2")
        @Min(1)
        int writers();

        /**
         * Transfers applied in one transaction at most: the writer takes whatever queued, up to this many. A bulk
         * request's worth (bank.bulk.max-items): on a hot pair 1000 measured 26,500 -> 33,700 transfers/s against 200.
         */
        @WithDefault("1000")
        @Min(1)
        int maxSize();

        /** Transfers that may wait for a writer; a request beyond it is answered 503 at once. */
        @WithDefault("10000")
        @Min(1)
        int maxQueue();

        /** The longest a request waits in the queue before it is answered 503 (never once its batch has begun). */
        @WithDefault("10s")
        @DurationMin(nanos = 1, message = POSITIVE)
        Duration maxWait();

        /**
         * At shutdown, once the HTTP server has closed, how long the writers may still take to finish the batches in
         * hand; what is still queued then has lost its client and is refused unapplied. The shutdown delay, the
         * shutdown timeout and this together stay within the Kubernetes grace period (DeploymentFilesIT).
         */
        @WithDefault("10s")
        @DurationMin(millis = 1, message = AT_LEAST_A_MILLISECOND)
        Duration drainTimeout();
    }

    @BackoffWithinMax
    interface Optimistic {

        /** Attempts in total, the first included. */
        @WithDefault("10")
        @Min(1)
        int maxAttempts();

        @WithDefault("5ms")
        @DurationMin(nanos = 0, message = NOT_NEGATIVE)
        Duration backoffInitial();

        @WithDefault("200ms")
        @DurationMin(nanos = 0, message = NOT_NEGATIVE)
        Duration backoffMax();
    }

    interface Naive {

        /** The deadlock demonstration; off unless a profile turns it on. */
        @WithDefault("false")
        boolean enabled();
    }
}
