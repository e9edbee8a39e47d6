package org.acme.bank.transfer;

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
 * The optimistic strategy takes its row locks only at flush, with its UPDATEs; they cannot deadlock because Hibernate
 * sends them in id order (hibernate.order_updates, which Quarkus turns on). This watches the order on the database:
 * a transfer from the higher id to the lower one, held at the higher row by another session, must already hold the
 * lower row, so its UPDATE of the lower id went out first, although that account was read second.
 */
@QuarkusTest
class FlushOrderTest {

    private final Bank bank = Bank.app();

    @Inject
    DataSource dataSource;

    @Test
    void theLowerIdIsUpdatedFirstWhateverTheDirection() throws Exception {
        long lower = bank.openAccount("Lower", "10.00");
        long higher = bank.openAccount("Higher", "10.00");

        CompletableFuture<Answer> transfer;
        try (RowLock held = RowLock.on(dataSource, higher)) {
            transfer = CompletableFuture.supplyAsync(() -> bank.transfer("optimistic", higher, lower, "1.00"));
            RowLock.awaitWaiters(dataSource, 1);

            assertTrue(RowLock.isHeld(dataSource, lower),
                    "the transfer waits at the higher id without holding the lower one: its UPDATEs are not in id order");
        }

        transfer.get(30, TimeUnit.SECONDS).expect(201);
        assertEquals(new BigDecimal("11.00"), bank.balance(lower));
    }
}
