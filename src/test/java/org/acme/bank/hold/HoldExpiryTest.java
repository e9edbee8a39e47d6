package org.acme.bank.hold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Books;
import org.acme.bank.support.RowLock;
import org.junit.jupiter.api.Test;

/** The clean-up of expired holds, killed in the middle of a batch: nothing is lost, the next run does it all. */
@QuarkusTest
class HoldExpiryTest {

    private final Bank bank = Bank.app();

    @Inject
    HoldExpiry expiry;

    @Inject
    DataSource dataSource;

    @Test
    void aCleanUpKilledInTheMiddleOfABatchLosesNothing() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        for (long sender : List.of(alice, alice, bob)) {
            bank.asCustomer(sender == alice ? "Alice" : "Bob").post("/holds/pessimistic", "{\"from\":" + sender
                    + ",\"to\":" + shop + ",\"amount\":\"10.00\",\"expiresIn\":1}", Map.of()).expect(201);
        }
        Thread.sleep(1100);

        CompletableFuture<Long> cleanUp;
        try (RowLock lock = RowLock.on(dataSource, bob)) {
            cleanUp = CompletableFuture.supplyAsync(() -> {
                try {
                    return expiry.releaseExpired(Instant.now());
                } catch (SQLException killed) {
                    throw new CompletionException(killed);
                }
            });
            // The batch has picked the three holds, locked Alice and waits for Bob: killed there.
            int cleaner = RowLock.awaitWaiters(dataSource, 1).get(0);
            execute("select pg_terminate_backend(" + cleaner + ")");
            assertThrows(Exception.class, () -> cleanUp.get(30, TimeUnit.SECONDS));
        }
        assertEquals(3, count("select count(*) from hold where to_account_id = " + shop + " and status = 'pending'"));
        assertEquals(0, new BigDecimal("20.00").compareTo(held(alice)));
        assertEquals(0, new BigDecimal("10.00").compareTo(held(bob)));

        expiry.releaseExpired(Instant.now());
        assertEquals(3, count("select count(*) from hold where to_account_id = " + shop + " and status = 'expired'"
                + " and resolved_at = expires_at"));
        assertEquals(0, BigDecimal.ZERO.compareTo(held(alice)));
        assertEquals(0, BigDecimal.ZERO.compareTo(held(bob)));
        Books.assertAuditConsistent(bank);
    }

    private BigDecimal held(long account) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("select held from account where id = ?")) {
            query.setLong(1, account);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getBigDecimal(1);
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql);
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }
}
