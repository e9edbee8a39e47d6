package org.acme.bank.transfer.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.RowLock;
import org.junit.jupiter.api.Test;

/**
 * Both accounts are locked by one query, lowest id first, watched on the database. Under load:
 * {@code DeadlockScenarioTest}, {@code HotSpotTest}, {@code FaultsIT}.
 */
@QuarkusTest
class PessimisticStrategyTest {

    private final Bank bank = Bank.app();

    @Inject
    DataSource dataSource;

    /**
     * Another session holds the higher account. A transfer from the higher to the lower account must then already
     * hold the lower one (locked first whatever the direction), and the opposite transfer, started next, waits for
     * the lower one holding nothing. When the session lets go, both complete: locked in request order instead, the
     * first would hold the higher and wait for the lower, which the second would hold: a deadlock.
     */
    @Test
    void twoOppositeTransfersLockLowestIdFirstAndNeverDeadlock() throws Exception {
        long lower = bank.openAccount("Lower", "100.00");
        long higher = bank.openAccount("Higher", "100.00");

        CompletableFuture<Answer> backward;
        CompletableFuture<Answer> forward;
        try (RowLock held = RowLock.on(dataSource, higher)) {
            backward = CompletableFuture.supplyAsync(() -> bank.transfer("pessimistic", higher, lower, "1.00"));
            RowLock.awaitWaiters(dataSource, 1);
            assertTrue(RowLock.isHeld(dataSource, lower), "the lower id is locked first, whatever the direction");

            forward = CompletableFuture.supplyAsync(() -> bank.transfer("pessimistic", lower, higher, "2.00"));
            RowLock.awaitWaiters(dataSource, 2);
        }

        backward.get(30, TimeUnit.SECONDS).expect(201);
        forward.get(30, TimeUnit.SECONDS).expect(201);
        assertEquals(new BigDecimal("99.00"), bank.balance(lower));
        assertEquals(new BigDecimal("101.00"), bank.balance(higher));
    }
}
