package org.acme.bank.ledger;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.RowLock;
import org.junit.jupiter.api.Test;

/**
 * An audit ends at its own timeout ({@code bank.audit.timeout}, or {@code full-timeout}), not at the transaction
 * manager's default: that one (60 s) cancelled every full audit of a 20-million-row ledger after a minute, answered as
 * if the ten-minute full timeout had run out. Here the default is one second, and an audit that waits two answers.
 */
@QuarkusTest
@TestProfile(AuditTransactionTimeoutTest.ShortTransactions.class)
class AuditTransactionTimeoutTest {

    /** Transactions time out after a second unless they say otherwise; the audit may take four. */
    public static class ShortTransactions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.transaction-manager.default-transaction-timeout", "1s",
                    "bank.audit.timeout", "4s");
        }
    }

    private final Bank bank = Bank.app();

    @Inject
    DataSource dataSource;

    @Test
    void anAuditLongerThanTheTransactionManagersDefaultEndsAtItsOwnTimeout() throws Exception {
        bank.openAccount("Alice", "10.00");
        CompletableFuture<Answer> audit;
        try (Connection locker = dataSource.getConnection(); Statement lock = locker.createStatement()) {
            locker.setAutoCommit(false);
            lock.execute("lock table transfer in access exclusive mode");
            audit = CompletableFuture.supplyAsync(() -> bank.get("/audit"));
            RowLock.awaitWaiters(dataSource, 1);
            Thread.sleep(2000);
            locker.rollback();
        }

        audit.get(30, TimeUnit.SECONDS).expect(200).expectField("scope", "incremental");
    }
}
