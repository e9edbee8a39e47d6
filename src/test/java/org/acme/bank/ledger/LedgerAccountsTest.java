package org.acme.bank.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import javax.sql.DataSource;

import org.acme.bank.support.Bank;
import org.junit.jupiter.api.Test;

/**
 * A ledger row's accounts exist, checked once per statement (migration V10) where foreign keys checked each row: a
 * statement naming a missing account is refused whole, and no account the ledger could name is deleted, renumbered or
 * truncated away. Plain SQL as the schema's owner, as the tests' datasource is: no code of the service stands between.
 */
@QuarkusTest
class LedgerAccountsTest {

    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final Bank bank = Bank.app();

    @Inject
    DataSource dataSource;

    @Test
    void aStatementWhoseRowsNameAMissingAccountIsRefusedWhole() throws SQLException {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "10.00");
        long missing = bob + 1_000_000;
        long before = bank.transferCount(alice);

        for (String rows : new String[] {
                "(%d, %d), (%d, %d)".formatted(alice, bob, alice, missing),
                "(%d, %d), (%d, %d)".formatted(alice, bob, missing, bob)}) {
            SQLException refused = assertThrows(SQLException.class, () -> execute(
                    "insert into transfer (from_account_id, to_account_id, amount, strategy, attempts)"
                            + " select f, t, 1.00, 'sql', 1 from (values " + rows + ") as pair (f, t)"));
            assertEquals(FOREIGN_KEY_VIOLATION, refused.getSQLState(), refused.getMessage());
        }

        assertEquals(before, bank.transferCount(alice));
        assertEquals(new BigDecimal("10.00"), bank.balance(alice));
    }

    @Test
    void noAccountIsDeletedRenumberedOrTruncated() throws SQLException {
        long alice = bank.openAccount("Alice", "10.00");

        for (String forbidden : new String[] {"delete from account where id = " + alice,
                "update account set id = id + 1000000 where id = " + alice}) {
            SQLException refused = assertThrows(SQLException.class, () -> execute(forbidden), forbidden);
            assertEquals(FOREIGN_KEY_VIOLATION, refused.getSQLState(), forbidden + ": " + refused.getMessage());
        }
        SQLException refused = assertThrows(SQLException.class, () -> execute("truncate account cascade"));
        assertEquals(FOREIGN_KEY_VIOLATION, refused.getSQLState(), refused.getMessage());

        assertEquals(new BigDecimal("10.00"), bank.balance(alice));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet accounts = statement.executeQuery("select count(*) from account where id = " + alice)) {
            accounts.next();
            assertEquals(1, accounts.getInt(1));
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
