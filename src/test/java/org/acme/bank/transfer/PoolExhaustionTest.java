package org.acme.bank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Bank.Transfer;
import org.acme.bank.support.ConcurrentTransfers;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * More requests than connections: those that find none give up after the acquisition timeout with a 503, not left
 * hanging, and when the burst is over every connection is back in the pool.
 */
@QuarkusTest
@TestProfile(PoolExhaustionTest.TinyPool.class)
class PoolExhaustionTest {

    private final Bank bank = Bank.app();

    public static class TinyPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.max-size", "2", "quarkus.datasource.jdbc.acquisition-timeout", "1s");
        }
    }

    /** Much longer than the acquisition timeout, much shorter than the lock timeout. */
    private static final long LOCK_HELD_MILLIS = 4_000;

    @Inject
    DataSource dataSource;

    @Inject
    AgroalDataSource pool;

    @Test
    void anExhaustedPoolIsUnavailableNotAnError() throws Exception {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "10.00");

        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            bank.transfer("pessimistic", alice, bob, "1.00")
                    .expectProblem(503, "/problems/database-unavailable")
                    .expectHeader("Retry-After", "1");
        }

        bank.transfer("pessimistic", alice, bob, "1.00").expect(201);
        assertEquals(new BigDecimal("9.00"), bank.balance(alice));
    }

    @Test
    void aBurstBehindASlowLockHolderGetsTwoTransfersAndFastRefusalsAndLeaksNothing() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");
        List<List<Transfer>> sixUsers = Collections.nCopies(6,
                List.of(new Transfer("pessimistic", alice, bob, "1.00")));

        List<Answer> outcomes;
        Instant released;
        try (Connection holder = lockOutsideThePool(alice)) {
            CompletableFuture<Instant> release = CompletableFuture.supplyAsync(() -> {
                rollbackAfter(holder, LOCK_HELD_MILLIS);
                return Instant.now();
            });
            outcomes = ConcurrentTransfers.run(bank, sixUsers);
            released = release.get();
        }

        // Two requests got the two connections and waited for the lock; the other four found no connection.
        assertEquals("{201=2, 503 /problems/database-unavailable=4}", ConcurrentTransfers.summary(outcomes));
        for (Answer refused : outcomes.stream().filter(outcome -> outcome.status() == 503).toList()) {
            assertTrue(refused.answeredAt().isBefore(released),
                    "a 503 waited for the lock holder instead of giving up after the acquisition timeout");
        }
        assertEquals(new BigDecimal("98.00"), bank.balance(alice));
        assertEquals(0, pool.getMetrics().activeCount(), "connections still in use after the burst");
        assertEquals(0, pool.getMetrics().awaitingCount(), "threads still waiting for a connection");
    }

    /** A session of its own, outside the service's pool, that locks the account's row. */
    private static Connection lockOutsideThePool(long account) throws Exception {
        var config = ConfigProvider.getConfig();
        Connection holder = DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
        holder.setAutoCommit(false);
        try (PreparedStatement lock = holder.prepareStatement("select * from account where id = ? for update")) {
            lock.setLong(1, account);
            lock.executeQuery().close();
        }
        return holder;
    }

    private static void rollbackAfter(Connection holder, long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
            holder.rollback();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
