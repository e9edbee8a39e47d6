package org.acme.bank.transfer;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: before retry n (1-based) wait a uniformly random time between zero and
 * {@code min(max, initial * 2^(n-1))}, so that the losers of one race do not meet again at the same instant.
 */
public record Backoff(Duration initial, Duration max) {

    public Duration delayBeforeRetry(int retry, RandomGenerator random) {
        long ceilingNanos = ceiling(retry).toNanos();
        return ceilingNanos == 0 ? Duration.ZERO : Duration.ofNanos(random.nextLong(ceilingNanos + 1));
    }

    Duration ceiling(int retry) {
        int doublings = Math.min(retry - 1, 30);
        Duration grown = initial.multipliedBy(1L << doublings);
        return grown.compareTo(max) > 0 ? max : grown;
    }
}
