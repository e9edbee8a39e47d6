package org.acme.bank.transfer.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Metrics;
import org.acme.bank.support.RowLock;
import org.junit.jupiter.api.Test;

/**
 * A lost {@code @Version} check is retried in a fresh transaction, and every retry is counted. Under load:
 * {@code DeadlockScenarioTest}, {@code HotSpotTest}.
 */
@QuarkusTest
class OptimisticStrategyTest {

    private final Bank bank = Bank.app();

    @Inject
    DataSource dataSource;

    /**
     * A concurrent session changes the sender's version while the transfer waits to write it: the transfer loses its
     * version check once, runs again, succeeds on its second attempt, and the retry counter grows by exactly one.
     */
    @Test
    void aLostVersionCheckIsRetriedAndCounted() throws Exception {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");
        String before = Metrics.scrape();

        CompletableFuture<Answer> transfer;
        try (RowLock concurrent = RowLock.changingVersion(dataSource, alice)) {
            transfer = CompletableFuture.supplyAsync(() -> bank.transfer("optimistic", alice, bob, "1.00"));
            RowLock.awaitWaiters(dataSource, 1);
            concurrent.release();
        }

        transfer.get(30, TimeUnit.SECONDS).expect(201).expectField("attempts", "2");
        assertEquals(1, Metrics.delta(before, Metrics.scrape(), "bank_transfer_retries_total",
                "strategy=\"optimistic\""));
        assertEquals(new BigDecimal("9.00"), bank.balance(alice));
        assertEquals(1, bank.transferCount(alice));
    }
}
