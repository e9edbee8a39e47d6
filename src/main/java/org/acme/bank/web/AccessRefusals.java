package org.acme.bank.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * Counts every refused token (401) and refused action (403) in {@code bank_access_refusals_total}, and logs them
 * without the token, at most one line per {@link #LOG_INTERVAL}: a flood of bad tokens adds one line a minute to the
 * log, with how many of each it stands for, not one line per request.
 */
@Singleton
class AccessRefusals {

    static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(AccessRefusals.class);

    private final Counter unauthorized;
    private final Counter forbidden;
    private final AtomicLong nextLogAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong unloggedUnauthorized = new AtomicLong();
    private final AtomicLong unloggedForbidden = new AtomicLong();

    AccessRefusals(MeterRegistry registry) {
        this.unauthorized = counter(registry, ProblemType.UNAUTHORIZED);
        this.forbidden = counter(registry, ProblemType.FORBIDDEN);
    }

    /** A refusal; {@code who} is the caller's subject for a 403, and null for a token that named no one. */
    void refused(ProblemType type, String who, String reason) {
        boolean unknownCaller = type == ProblemType.UNAUTHORIZED;
        (unknownCaller ? unauthorized : forbidden).increment();
        (unknownCaller ? unloggedUnauthorized : unloggedForbidden).incrementAndGet();
        long now = System.nanoTime();
        long due = nextLogAt.get();
        if ((due == Long.MIN_VALUE || now - due >= 0) && nextLogAt.compareAndSet(due, now + LOG_INTERVAL.toNanos())) {
            LOG.warnf("Access refused: %d %s%s (%s); since the last such line %d refused tokens and %d refused actions",
                    type.status(), type.slug(), who == null ? "" : " to " + who, reason,
                    unloggedUnauthorized.getAndSet(0), unloggedForbidden.getAndSet(0));
        }
    }

    private static Counter counter(MeterRegistry registry, ProblemType type) {
        return Counter.builder("bank.access.refusals")
                .description("Requests refused for their token (401) or for the caller's role (403)")
                .tag("status", String.valueOf(type.status()))
                .register(registry);
    }
}
