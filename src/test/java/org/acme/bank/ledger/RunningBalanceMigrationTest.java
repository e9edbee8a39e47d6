package org.acme.bank.ledger;

import static org.acme.bank.support.Migrations.migrate;
import static org.acme.bank.support.Migrations.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.acme.bank.support.RestartablePostgres;
import org.junit.jupiter.api.Test;

/**
 * The migration to running balances (V7) on a ledger written before it: every row numbered per account in the order
 * (time, id), with the balance after it; accounts count their entries. Before V7 a row's time was taken before its
 * accounts were locked, so that order can put a debit before the credit that paid for it: the guessed balance after is
 * then negative, which must not stop the upgrade, while rows written afterwards are held to the rule.
 */
class RunningBalanceMigrationTest {

    @Test
    void existingRowsAreNumberedInTimeOrderAndAGuessedNegativeBalanceDoesNotStopTheUpgrade() throws Exception {
        try (RestartablePostgres postgres = RestartablePostgres.start()) {
            String url = postgres.jdbcUrl("running-balance-migration");
            migrate(url, "6");
            try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
                statement.execute("insert into account (id, owner, balance, opening_balance) overriding system value"
                        + " values (1, 'Alice', 0, 0), (2, 'Bob', 97, 100), (3, 'Carol', 3, 0)");
                // Alice's debit is stamped before the credit that paid for it; rows 13 and 12 share an instant.
                statement.execute("insert into transfer (id, from_account_id, to_account_id, amount, strategy, attempts,"
                        + " created_at) values"
                        + " (10, 1, 2, 5, 'pessimistic', 1, '2026-01-01T00:00:10Z'),"
                        + " (11, 2, 1, 5, 'batched', 1, '2026-01-01T00:00:11Z'),"
                        + " (13, 2, 3, 2, 'optimistic', 1, '2026-01-01T00:00:12Z'),"
                        + " (12, 2, 3, 1, 'optimistic', 1, '2026-01-01T00:00:12Z')");
            }

            migrate(url, "7");

            try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
                assertEquals(List.of(
                                "10 1:1:-5.00 2:1:105.00",
                                "11 2:2:100.00 1:2:0.00",
                                "12 2:3:99.00 3:1:1.00",
                                "13 2:4:97.00 3:2:3.00"),
                        rows(statement, "select id || ' ' || from_account_id || ':' || from_entry || ':'"
                                + " || from_balance_after || ' ' || to_account_id || ':' || to_entry || ':'"
                                + " || to_balance_after from transfer order by id"));
                statement.execute("set time zone 'UTC'");
                assertEquals(List.of("1 2 2026-01-01 00:00:11+00", "2 4 2026-01-01 00:00:12+00",
                                "3 2 2026-01-01 00:00:12+00"),
                        rows(statement, "select id || ' ' || entries || ' ' || last_entry_at from account order by id"));
                assertThrows(SQLException.class, () -> statement.execute("insert into transfer (id, from_account_id,"
                        + " to_account_id, amount, strategy, attempts, created_at, from_entry, from_balance_after,"
                        + " to_entry, to_balance_after) values (14, 1, 2, 1, 'pessimistic', 1, now(), 3, -1, 5, 98)"),
                        "a row written after the upgrade is held to a balance after of zero or more");
            }
        }
    }
}
