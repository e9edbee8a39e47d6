package org.acme.bank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.RowLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The datasource pins READ COMMITTED. On a server whose default is REPEATABLE READ, a transfer that waited for a row
 * another transaction changed would otherwise fail with SQLSTATE 40001 instead of going on with the committed row.
 */
@QuarkusTest
class IsolationLevelTest {

    private final Bank bank = Bank.app();

    @Inject
    AgroalDataSource dataSource;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "naive"})
    void aServerDefaultingToRepeatableReadDoesNotTurnLockWaitsIntoFailures(String strategy) throws Exception {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "10.00");
        try {
            setRoleDefaultIsolation("'repeatable read'");

            CompletableFuture<Answer> transfer;
            try (RowLock concurrent = RowLock.changingVersion(dataSource, alice)) {
                transfer = CompletableFuture.supplyAsync(() -> bank.transfer(strategy, alice, bob, "1.00"));
                RowLock.awaitWaiters(dataSource, 1);
                concurrent.release();
            }

            transfer.get(30, TimeUnit.SECONDS).expect(201);
        } finally {
            setRoleDefaultIsolation("default");
        }
        assertEquals(new BigDecimal("9.00"), bank.balance(alice));
    }

    /** Changes the default for new sessions of the service's role, and has the pool make new connections. */
    private void setRoleDefaultIsolation(String level) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement alter = connection.createStatement()) {
            alter.execute("alter role current_user set default_transaction_isolation to " + level);
        }
        dataSource.flush(AgroalDataSource.FlushMode.ALL);
        for (int poll = 0; poll < 100 && dataSource.getMetrics().availableCount() > 0; poll++) {
            Thread.sleep(20);
        }
        if (dataSource.getMetrics().availableCount() > 0) {
            throw new SQLException("the pool kept its old connections");
        }
    }
}
