package org.acme.bank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
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

    @AfterEach
    void dropTheTrigger() throws SQLException {
        execute("drop trigger if exists internal_error on account");
        execute("drop function if exists raise_internal_error()");
        execute("drop sequence if exists internal_errors");
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
        execute("create sequence internal_errors");
        execute("""
                create function raise_internal_error() returns trigger language plpgsql as $$
                begin
                    if nextval('internal_errors') <= %d then
                        raise exception 'new multixact has more than one updating member' using errcode = 'XX000';
                    end if;
                    return new;
                end;
                $$""".formatted(failures));
        execute("create trigger internal_error before update on account for each row when (old.owner = '" + VICTIM
                + "') execute function raise_internal_error()");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
