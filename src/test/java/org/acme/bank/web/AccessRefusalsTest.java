package org.acme.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** A flood of refused tokens is counted one by one and logged once, with how many the line stands for. */
class AccessRefusalsTest {

    @Test
    void aFloodOfRefusalsIsCountedEveryTimeAndLoggedOnce() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AccessRefusals refusals = new AccessRefusals(registry);
        List<LogRecord> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(AccessRefusals.class.getName());
        logger.addHandler(capture);
        try {
            for (int i = 0; i < 10_000; i++) {
                refusals.refused(ProblemType.UNAUTHORIZED, null, "The bearer token is not valid here");
            }
            refusals.refused(ProblemType.FORBIDDEN, "Alice", "The audit needs the role auditor");
        } finally {
            logger.removeHandler(capture);
        }

        assertEquals(10_000, registry.get("bank.access.refusals").tag("status", "401").counter().count());
        assertEquals(1, registry.get("bank.access.refusals").tag("status", "403").counter().count());
        assertEquals(1, lines.size(), "one line within " + AccessRefusals.LOG_INTERVAL + ", not one per refusal");
        assertEquals(Level.WARNING, lines.get(0).getLevel());
    }
}
