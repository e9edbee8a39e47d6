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
 * The migration to identity (V5) on a ledger written before it: owners stay as they were (they are the subjects now),
 * each stored idempotency key becomes its transfer's sender's, and from then on the same string is one key per subject.
 */
class SubjectMigrationTest {

    @Test
    void storedKeysBecomeTheirSendersAndTheSameStringIsOneKeyPerSubject() throws Exception {
        try (RestartablePostgres postgres = RestartablePostgres.start()) {
            String url = postgres.jdbcUrl("migration-test");
            migrate(url, "4");
            try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
                statement.execute("insert into account (id, owner, balance, opening_balance) overriding system value"
                        + " values (1, 'Alice', 90, 100), (2, 'Bob', 110, 100)");
                statement.execute("insert into transfer (id, from_account_id, to_account_id, amount, strategy, attempts,"
                        + " created_at) values (10, 1, 2, 5, 'pessimistic', 1, now()), (11, 2, 1, 5, 'batched', 1, now())");
                statement.execute("insert into idempotency_key (key, transfer_id, created_at)"
                        + " values ('order-1', 10, now()), ('order-2', 11, now())");
            }

            migrate(url, "5");

            try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
                assertEquals(List.of("order-1 Alice 10", "order-2 Bob 11"), rows(statement,
                        "select key || ' ' || subject || ' ' || transfer_id from idempotency_key order by key"));
                assertEquals(List.of("Alice", "Bob"), rows(statement, "select owner from account order by id"));
                statement.execute("insert into transfer (id, from_account_id, to_account_id, amount, strategy, attempts,"
                        + " created_at) values (12, 2, 1, 1, 'pessimistic', 1, now())");
                statement.execute("insert into idempotency_key (key, subject, transfer_id, created_at)"
                        + " values ('order-1', 'Bob', 12, now())");
                assertThrows(SQLException.class, () -> statement.execute("insert into idempotency_key"
                        + " (key, subject, transfer_id, created_at) values ('order-1', 'Alice', 12, now())"));
            }
        }
    }
}
