package org.acme.bank.transfer;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;

import javax.sql.DataSource;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.acme.bank.support.RowLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A row locked by another session for longer than {@code bank.transfer.lock-timeout} (5s here) gives the client a
 * 409 instead of a hang (for batched, each member of the batch that timed out), and the service carries on normally
 * once the lock is gone.
 */
@QuarkusTest
class LockTimeoutTest {

    @Inject
    DataSource dataSource;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "naive", "batched"})
    void aLockHeldTooLongIsAConflictNotAHang(String strategy) throws Exception {
        long alice = Bank.openAccount("Alice", "10.00");
        long bob = Bank.openAccount("Bob", "10.00");

        try (RowLock held = RowLock.on(dataSource, bob)) {
            Bank.transfer(strategy, alice, bob, "1.00")
                    .then().statusCode(409)
                    .contentType("application/problem+json")
                    .header("Retry-After", equalTo("1"))
                    .body("type", equalTo("/problems/lock-timeout"));
        }

        assertEquals(new BigDecimal("10.00"), Bank.balance(alice));
        assertEquals(0, Bank.transferCount(alice));
        Bank.transfer(strategy, alice, bob, "1.00").then().statusCode(201);
        assertEquals(new BigDecimal("11.00"), Bank.balance(bob));
    }
}
