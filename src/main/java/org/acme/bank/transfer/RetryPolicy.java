package org.acme.bank.transfer;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.acme.bank.SqlStates;

/**
 * When the optimistic strategy runs a transfer again: after a race it can win next time (a version conflict, a
 * deadlock, a serialization failure), never after a lock timeout, at most {@code maxAttempts} attempts in all, with a
 * jittered {@link Backoff} before each retry.
 */
public record RetryPolicy(int maxAttempts, Backoff backoff) {

    private static final Set<ConflictKind> RETRYABLE =
            EnumSet.of(ConflictKind.VERSION_CONFLICT, ConflictKind.DEADLOCK, ConflictKind.SERIALIZATION_FAILURE);

    /** Whether a transfer that lost this way may run again; a lock timeout already waited as long as allowed. */
    public boolean retries(ConflictKind kind) {
        return RETRYABLE.contains(kind);
    }

    /**
     * Whether a transfer that failed otherwise may run again: after PostgreSQL's internal error (XX000, its multixact
     * safety check under concurrent updates; the statement failed and rolled back), never when the COMMIT may have
     * happened, whatever SQLSTATE the look-up that tried to settle it met.
     */
    public boolean retries(RuntimeException failure) {
        return !(failure instanceof TransferOutcomeUnknownException) && SqlStates.isInternalError(failure);
    }

    /** Whether {@code attempt} (1-based) was the last one allowed. */
    public boolean exhaustedAfter(int attempt) {
        return attempt >= maxAttempts;
    }

    /** The pause before retry {@code retry} (1 for the second attempt). */
    public Duration delayBeforeRetry(int retry, RandomGenerator random) {
        return backoff.delayBeforeRetry(retry, random);
    }
}
