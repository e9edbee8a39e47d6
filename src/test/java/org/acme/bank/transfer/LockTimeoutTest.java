package org.acme.bank.transfer;

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

    private final Bank bank = Bank.app();

    @Inject
    DataSource dataSource;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "naive", "batched"})
    void aLockHeldTooLongIsAConflictNotAHang(String strategy) throws Exception {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "10.00");

        try (RowLock held = RowLock.on(dataSource, bob)) {
            bank.transfer(strategy, alice, bob, "1.00")
                    .expectProblem(409, "/problems/lock-timeout")
                    .expectHeader("Retry-After", "1");
        }

        assertEquals(new BigDecimal("10.00"), bank.balance(alice));
        assertEquals(0, bank.transferCount(alice));
        bank.transfer(strategy, alice, bob, "1.00").expect(201);
        assertEquals(new BigDecimal("11.00"), bank.balance(bob));
    }
}
