package org.acme.bank.transfer;

import static org.hamcrest.Matchers.equalTo;
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

    private static final String VICTIM = "Serialization victim";

    @Inject
    DataSource dataSource;

    @BeforeEach
    void failEveryUpdateOfTheVictim() throws SQLException {
        execute("""
                create or replace function raise_serialization_failure() returns trigger language plpgsql as $$
                begin
                    raise exception 'could not serialize access' using errcode = '40001';
                end;
                $$""");
        execute("create trigger serialization_failure before update on account for each row when (old.owner = '"
                + VICTIM + "') execute function raise_serialization_failure()");
    }

    @AfterEach
    void dropTheTrigger() throws SQLException {
        execute("drop trigger serialization_failure on account");
        execute("drop function raise_serialization_failure()");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "naive"})
    void theLockingStrategiesAnswerA409OfItsOwn(String strategy) {
        long alice = Bank.openAccount(VICTIM, "10.00");
        long bob = Bank.openAccount("Bob", "0.00");

        Bank.transfer(strategy, alice, bob, "1.00").then().statusCode(409)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("1"))
                .body("type", equalTo("/problems/serialization-failure"))
                .body("attempts", equalTo(1));

        assertEquals(0, Bank.transferCount(alice));
    }

    @Test
    void optimisticRetriesItUntilItsAttemptsRunOut() {
        long alice = Bank.openAccount(VICTIM, "10.00");
        long bob = Bank.openAccount("Bob", "0.00");

        Bank.transfer("optimistic", alice, bob, "1.00").then().statusCode(409)
                .body("type", equalTo("/problems/retries-exhausted"))
                .body("attempts", equalTo(10));

        assertEquals(new BigDecimal("10.00"), Bank.balance(alice));
        assertEquals(0, Bank.transferCount(alice));
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
