package org.acme.bank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;

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
