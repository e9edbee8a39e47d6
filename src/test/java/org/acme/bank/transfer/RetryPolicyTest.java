package org.acme.bank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.SplittableRandom;

import org.acme.bank.SqlStates;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(3, new Backoff(Duration.ofMillis(5), Duration.ofMillis(200)));

    @Test
    void racesThatCanBeWonNextTimeAreRetried() {
        assertTrue(policy.retries(ConflictKind.VERSION_CONFLICT));
        assertTrue(policy.retries(ConflictKind.DEADLOCK));
        assertTrue(policy.retries(ConflictKind.SERIALIZATION_FAILURE));
    }

    @Test
    void aLockTimeoutIsNotRetried() {
        // It already waited as long as the settings allow; waiting again would double the client's wait.
        assertFalse(policy.retries(ConflictKind.LOCK_TIMEOUT));
        assertFalse(policy.retries(ConflictKind.RETRIES_EXHAUSTED));
    }

    @Test
    void postgresInternalErrorIsRetriedButNeverACommitWhoseOutcomeIsUnknown() {
        RuntimeException internalError = new IllegalStateException(
                new SQLException("new multixact has more than one updating member", "XX000"));
        assertTrue(policy.retries(internalError));
        // The look-up that tried to settle a lost COMMIT met XX000: the COMMIT may still have happened.
        TransferOutcomeUnknownException unknown = new TransferOutcomeUnknownException(7L, "The COMMIT got no answer",
                new IllegalStateException("Transaction rolled back, or not"));
        unknown.addSuppressed(internalError);
        assertTrue(SqlStates.isInternalError(unknown), "the case the rule is for");
        assertFalse(policy.retries(unknown));
        assertFalse(policy.retries(new IllegalStateException(new SQLException("canceled", "57014"))));
    }

    @Test
    void theLastAllowedAttemptExhaustsThePolicy() {
        assertFalse(policy.exhaustedAfter(1));
        assertFalse(policy.exhaustedAfter(2));
        assertTrue(policy.exhaustedAfter(3));
    }

    @Test
    void delaysStayWithinTheBackoffsCeiling() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 1000; i++) {
            assertTrue(policy.delayBeforeRetry(1, random).compareTo(Duration.ofMillis(5)) <= 0);
            assertTrue(policy.delayBeforeRetry(2, random).compareTo(Duration.ofMillis(10)) <= 0);
        }
        assertEquals(Duration.ZERO, new RetryPolicy(3, new Backoff(Duration.ZERO, Duration.ZERO))
                .delayBeforeRetry(1, random));
    }
}
