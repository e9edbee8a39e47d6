package org.acme.bank.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttackOptionsTest {

    @Test
    void theArticlesCommandLine() {
        AttackOptions options = AttackOptions.parse(
                "--url http://localhost:8080 --strategy naive --users 8 --transfers 3".split(" "));

        assertEquals(URI.create("http://localhost:8080"), options.url());
        assertEquals(List.of("naive"), options.strategies());
        assertEquals(List.of(8), options.concurrencies());
        assertEquals(24, options.requestsPerRun(8));
        assertEquals(2, options.accounts());
    }

    @Test
    void defaultsRunEveryStrategyOnAliceAndBob() {
        AttackOptions options = AttackOptions.parse(new String[0]);

        assertEquals(List.of("pessimistic", "optimistic", "batched", "naive"), options.strategies());
        assertEquals(new BigDecimal("10.00"), options.amount());
        assertEquals(0, options.zipf());
    }

    @Test
    void sweepDurationSkewAndOpenLoop() {
        AttackOptions options = AttackOptions.parse(
                "--sweep 1,2,4 --duration 30s --accounts 100000 --zipf 1.0 --rate 500 --json --report out --warmup 5s"
                        .split(" "));

        assertEquals(List.of(1, 2, 4), options.concurrencies());
        assertEquals(Duration.ofSeconds(30), options.duration());
        assertEquals(15000, options.requestsPerRun(4));
        assertEquals(100000, options.accounts());
        assertTrue(options.json());
        assertEquals("out", options.reportDirectory().toString());
        AttackOptions warmup = options.forWarmup();
        assertEquals(Duration.ofSeconds(5), warmup.duration());
        assertTrue(warmup.json() && warmup.rate() == 0 && warmup.reportDirectory() == null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--strategy yolo", "--users 0", "--accounts 1", "--accounts 100001", "--zipf -1",
            "--amount 0.001", "--duration soon", "--users", "--bogus 1"})
    void refusesWhatItCannotRun(String args) {
        assertThrows(IllegalArgumentException.class, () -> AttackOptions.parse(args.split(" ")));
    }
}
