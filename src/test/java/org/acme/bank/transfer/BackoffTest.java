package org.acme.bank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(5), Duration.ofMillis(200));

    @Test
    void theCeilingDoublesUpToTheMaximum() {
        assertEquals(Duration.ofMillis(5), backoff.ceiling(1));
        assertEquals(Duration.ofMillis(10), backoff.ceiling(2));
        assertEquals(Duration.ofMillis(160), backoff.ceiling(6));
        assertEquals(Duration.ofMillis(200), backoff.ceiling(7));
        assertEquals(Duration.ofMillis(200), backoff.ceiling(1000));
    }

    @Test
    void delaysAreSpreadBetweenZeroAndTheCeiling() {
        Random random = new Random(42);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Duration delay = backoff.delayBeforeRetry(3, random);
            assertTrue(!delay.isNegative() && delay.compareTo(Duration.ofMillis(20)) <= 0, delay.toString());
            seen.add(delay);
        }
        assertTrue(seen.size() > 900, "full jitter should rarely repeat a delay, saw " + seen.size() + " distinct");
    }

    @Test
    void aZeroBackoffNeverWaits() {
        Backoff none = new Backoff(Duration.ZERO, Duration.ZERO);

        assertEquals(Duration.ZERO, none.delayBeforeRetry(5, new Random(1)));
    }
}
