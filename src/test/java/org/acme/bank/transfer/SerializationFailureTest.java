package org.acme.bank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.acme.bank.support.FailingUpdates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SQLSTATE 40001 (serialization failure), which READ COMMITTED should not produce but a server or a trigger can: a
 * trigger raises it on every update of one account. The locking strategies answer it as a 409 of its own; the
 * optimistic strategy retries it like a lost race, up to its last attempt.
 */
@QuarkusTest
class SerializationFailureTest {

    private final Bank bank = Bank.app();

    private static final String VICTIM = "Serialization victim";

    @Inject
    DataSource dataSource;

    private FailingUpdates failing;

    @BeforeEach
    void failEveryUpdateOfTheVictim() throws SQLException {
        failing = FailingUpdates.every(dataSource, VICTIM, "40001", "could not serialize access");
    }

    @AfterEach
    void dropTheTrigger() throws SQLException {
        failing.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "naive"})
    void theLockingStrategiesAnswerA409OfItsOwn(String strategy) {
        long alice = bank.openAccount(VICTIM, "10.00");
        long bob = bank.openAccount("Bob", "0.00");

        bank.transfer(strategy, alice, bob, "1.00").expectProblem(409, "/problems/serialization-failure")
                .expectHeader("Retry-After", "1")
                .expectField("attempts", "1");

        assertEquals(0, bank.transferCount(alice));
    }

    @Test
    void optimisticRetriesItUntilItsAttemptsRunOut() {
        long alice = bank.openAccount(VICTIM, "10.00");
        long bob = bank.openAccount("Bob", "0.00");

        bank.transfer("optimistic", alice, bob, "1.00").expectProblem(409, "/problems/retries-exhausted")
                .expectField("attempts", "10");

        assertEquals(new BigDecimal("10.00"), bank.balance(alice));
        assertEquals(0, bank.transferCount(alice));
    }
}
