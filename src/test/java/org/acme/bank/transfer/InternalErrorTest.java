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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SQLSTATE XX000, PostgreSQL's internal error, as its safety check "new multixact has more than one updating member"
 * raised it under optimistic's concurrent updates on some minor releases: the statement failed and the transaction
 * rolled back. A trigger raises it on the first updates of one account (a sequence counts them, outside any
 * transaction). Optimistic treats it as a lost race and runs the transfer again; the others answer 503 with
 * Retry-After, never 500, and write nothing.
 */
@QuarkusTest
class InternalErrorTest {

    private final Bank bank = Bank.app();

    private static final String VICTIM = "Internal error victim";

    @Inject
    DataSource dataSource;

    private FailingUpdates failing;

    @AfterEach
    void dropTheTrigger() throws SQLException {
        failing.close();
    }

    @Test
    void optimisticRunsTheTransferAgain() throws SQLException {
        long alice = bank.openAccount(VICTIM, "10.00");
        long bob = bank.openAccount("Bob", "0.00");
        failTheFirstUpdatesOfTheVictim(1);

        bank.transfer("optimistic", alice, bob, "1.00").expect(201).expectField("attempts", "2");

        assertEquals(new BigDecimal("9.00"), bank.balance(alice));
        assertEquals(1, bank.transferCount(alice));
    }

    /**
     * On every attempt it is no race but a fault of the database: 503 once the attempts run out. (Among lost races, an
     * XX000 on the last attempt ends the transfer as a lost race: 409 retries-exhausted, as HotSpotTest once met it.)
     */
    @Test
    void optimisticMeetingItOnEveryAttemptIsUnavailable() throws SQLException {
        long alice = bank.openAccount(VICTIM, "10.00");
        long bob = bank.openAccount("Bob", "0.00");
        failTheFirstUpdatesOfTheVictim(Integer.MAX_VALUE);

        bank.transfer("optimistic", alice, bob, "1.00").expectProblem(503, "/problems/database-unavailable");

        assertEquals(new BigDecimal("10.00"), bank.balance(alice));
        assertEquals(0, bank.transferCount(alice));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "naive", "batched"})
    void theOthersAnswer503AndWriteNothing(String strategy) throws SQLException {
        long alice = bank.openAccount(VICTIM, "10.00");
        long bob = bank.openAccount("Bob", "0.00");
        failTheFirstUpdatesOfTheVictim(1);

        bank.transfer(strategy, alice, bob, "1.00").expectProblem(503, "/problems/database-unavailable")
                .expectHeader("Retry-After", "1");

        assertEquals(new BigDecimal("10.00"), bank.balance(alice));
        assertEquals(0, bank.transferCount(alice));
        bank.transfer(strategy, alice, bob, "1.00").expect(201);
    }

    private void failTheFirstUpdatesOfTheVictim(int failures) throws SQLException {
        failing = FailingUpdates.first(dataSource, VICTIM, "XX000", "new multixact has more than one updating member",
                failures);
    }
}
