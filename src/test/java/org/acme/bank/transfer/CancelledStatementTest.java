package org.acme.bank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.RowLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A statement cancelled by the database (SQLSTATE 57014: {@code pg_cancel_backend}, or a {@code statement_timeout} set
 * on a role or database) rolls the transfer back; the client is told so with a 503 and Retry-After, never a 500.
 */
@QuarkusTest
class CancelledStatementTest {

    private final Bank bank = Bank.app();

    @Inject
    DataSource dataSource;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "naive"})
    void aCancelledTransferIsUnavailableAndChangesNothing(String strategy) throws Exception {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "10.00");

        CompletableFuture<Answer> transfer;
        try (RowLock held = RowLock.on(dataSource, bob)) {
            transfer = CompletableFuture.supplyAsync(() -> bank.transfer(strategy, alice, bob, "1.00"));
            List<Integer> waiting = RowLock.awaitWaiters(dataSource, 1);
            try (Connection operator = dataSource.getConnection();
                    PreparedStatement cancel = operator.prepareStatement("select pg_cancel_backend(?)")) {
                cancel.setInt(1, waiting.get(0));
                cancel.execute();
            }
            transfer.get(30, TimeUnit.SECONDS).expectProblem(503, "/problems/database-unavailable")
                    .expectHeader("Retry-After", "1");
        }

        assertEquals(new BigDecimal("10.00"), bank.balance(alice));
        assertEquals(0, bank.transferCount(alice));
        bank.transfer(strategy, alice, bob, "1.00").expect(201);
    }
}
