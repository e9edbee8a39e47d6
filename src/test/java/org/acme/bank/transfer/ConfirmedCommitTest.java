package org.acme.bank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Statement;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.acme.bank.SqlStates;
import org.acme.bank.support.Bank;
import org.hibernate.Session;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL answers the COMMIT of a transaction whose statement failed with ROLLBACK, and a COMMIT sent as a statement
 * raises no error for it. A failure nobody noticed must therefore never let the transaction pass for committed; nor
 * may the last statement's, when it goes out with the COMMIT.
 */
@QuarkusTest
class ConfirmedCommitTest {

    private final Bank bank = Bank.app();

    @Inject
    ConfirmedCommit confirmedCommit;

    @Inject
    EntityManager entityManager;

    @Test
    void aTransactionWithAFailedStatementIsNeverTakenForCommitted() {
        long account = bank.openAccount("Alice", "10.00");

        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            entityManager.createNativeQuery("update account set balance = balance + 1 where id = :id")
                    .setParameter("id", account)
                    .executeUpdate();
            entityManager.unwrap(Session.class).doWork(connection -> {
                try (Statement failing = connection.createStatement()) {
                    failing.execute("select 1 / 0");
                } catch (SQLException unnoticed) {
                    // The fault under test: a failure swallowed inside the transaction.
                }
            });
            confirmedCommit.commit(null);
        }));
        assertEquals(0, new BigDecimal("10.00").compareTo(bank.balance(account)));
    }

    // The two tests below change versions only: every test shares the database, whose books must stay balanced.

    @Test
    void aLastStatementThatFailsIsNeverCommittedWithTheRest() {
        long account = bank.openAccount("Alice", "10.00");
        long version = version(account);

        CommitSkippedException failure = assertThrows(CommitSkippedException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> {
                    bumpVersion(account);
                    confirmedCommit.commitWith(null, "update account set version = version + 1 / ? where id = ?",
                            (connection, statement) -> {
                                statement.setInt(1, 0);
                                statement.setLong(2, account);
                            });
                }));

        assertEquals("22012", SqlStates.of(failure).orElseThrow(), "division by zero, from the last statement");
        assertEquals(version, version(account));
    }

    @Test
    void aLastStatementIsCommittedWithItsCommit() {
        long account = bank.openAccount("Alice", "10.00");
        long version = version(account);

        QuarkusTransaction.requiringNew().run(() -> {
            bumpVersion(account);
            confirmedCommit.commitWith(null, "update account set version = version + ? where id = ?",
                    (connection, statement) -> {
                        statement.setInt(1, 2);
                        statement.setLong(2, account);
                    });
            // Committed by the COMMIT sent with the statement: the transaction manager's finds nothing left to do.
            entityManager.unwrap(Session.class).doWork(connection -> assertEquals(TransactionState.IDLE,
                    connection.unwrap(BaseConnection.class).getTransactionState()));
        });

        assertEquals(version + 3, version(account));
    }

    private void bumpVersion(long account) {
        entityManager.createNativeQuery("update account set version = version + 1 where id = :id")
                .setParameter("id", account)
                .executeUpdate();
    }

    private long version(long account) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                .createNativeQuery("select version from account where id = :id")
                .setParameter("id", account)
                .getSingleResult()).longValue());
    }
}
