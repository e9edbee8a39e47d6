package org.acme.bank.ledger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * Keys are forgotten after the retention, in batches (the test profile deletes 2 per statement), by one instance at a
 * time: while another session holds the purge's advisory lock, nothing is deleted.
 */
@QuarkusTest
class IdempotencyKeyPurgeTest {

    private final Bank bank = Bank.app();

    @Inject
    DataSource dataSource;

    @Inject
    IdempotencyKeyPurge purge;

    @Test
    void keysOlderThanTheRetentionArePurgedInBatchesAndTheirTransfersStay() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");
        List<Long> transfers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            transfers.add(transfer("old-" + i + "-" + alice, alice, bob));
        }
        String recent = "recent-" + alice;
        transfer(recent, alice, bob);
        age("old-%-" + alice);

        // Five keys, two per batch: a purge that stopped after its first batch would leave three.
        assertEquals(5, purge.purgeOlderThan(Duration.ofHours(24)));

        assertEquals(0, keys("old-%-" + alice));
        assertEquals(1, keys(recent));
        for (long id : transfers) {
            given().auth().oauth2(Tokens.operator()).get("/transfers/{id}", id).then().statusCode(200);
        }
        // Forgotten: the same key now makes a new transfer.
        bank.transfer("pessimistic", "old-0-" + alice, alice, bob, "1.00").expect(201);
        assertEquals(new BigDecimal("93.00"), bank.balance(alice));
    }

    @Test
    void whileAnotherInstancePurgesThisOneDeletesNothing() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");
        String key = "busy-" + alice;
        transfer(key, alice, bob);
        age(key);

        try (Connection otherInstance = dataSource.getConnection();
                PreparedStatement lock = otherInstance.prepareStatement("select pg_advisory_lock(?)")) {
            lock.setLong(1, IdempotencyKeyPurge.ADVISORY_LOCK);
            lock.execute();

            assertEquals(0, purge.purgeOlderThan(Duration.ofHours(24)));
            assertEquals(1, keys(key));

            try (PreparedStatement unlock = otherInstance.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, IdempotencyKeyPurge.ADVISORY_LOCK);
                unlock.execute();
            }
        }
        purge.purgeOlderThan(Duration.ofHours(24));
        assertEquals(0, keys(key));
    }

    private long transfer(String key, long from, long to) {
        return bank.transfer("pessimistic", key, from, to, "1.00").expect(201).id();
    }

    private void age(String keyPattern) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement age = connection.prepareStatement(
                        "update idempotency_key set created_at = now() - interval '25 hours' where key like ?")) {
            age.setString(1, keyPattern);
            age.executeUpdate();
        }
    }

    private long keys(String keyPattern) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "select count(*) from idempotency_key where key like ?")) {
            count.setString(1, keyPattern);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
