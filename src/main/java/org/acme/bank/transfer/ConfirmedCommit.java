package org.acme.bank.transfer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.Collection;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.acme.bank.config.BankConfig;
import org.hibernate.Session;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * Commits the current transaction with a statement of its own, so that the service sees what PostgreSQL says about
 * it, and bounds its wait for a synchronous standby ({@code bank.transfer.commit-timeout}).
 * <p>
 * With synchronous replication, a COMMIT waits, its row locks held, until a standby has its WAL. Neither
 * {@code lock_timeout} nor {@code statement_timeout} bounds that wait (PostgreSQL stops the statement's timer before
 * it commits); a cancel request does, and the statement's query timeout sends one. PostgreSQL then keeps the commit on
 * the primary alone and says so in nothing but a warning, which the transaction manager's own COMMIT would swallow,
 * answering success for a transfer that a failover can lose. Here the warning is read: a commit that warned is
 * {@link TransferOutcomeUnknownException}, settled later by its idempotency key. The transaction manager's COMMIT that
 * follows finds no transaction open and sends nothing (the driver skips it), so this costs no round trip.
 * <p>
 * A transaction whose last statement needs nothing from its answer can send it with the COMMIT ({@link #commitWith}),
 * as a transfer's does: its locks are then released one round trip sooner, and on a hot account the locks' time is
 * what bounds the rate.
 */
@ApplicationScoped
public class ConfirmedCommit {

    private final EntityManager entityManager;
    /** JDBC counts a query timeout in whole seconds: the setting is rounded up. */
    private final int timeoutSeconds;

    ConfirmedCommit(EntityManager entityManager, BankConfig config) {
        this.entityManager = entityManager;
        this.timeoutSeconds = (int) Math.max(1, config.transfer().commitTimeout().plusNanos(999_999_999).toSeconds());
    }

    /**
     * Returns once the standby confirms having a transfer (a transaction, a hold) read on the primary, which may have
     * committed there alone (a COMMIT whose wait was cut short): in a transaction of its own, a key-share lock on its
     * accounts, which PostgreSQL writes to the WAL and which waits for no transfer (they take
     * {@code FOR NO KEY UPDATE}), then the bounded COMMIT, which waits for the standby like that of any transaction
     * that wrote. WAL reaches the standby in order, so once it has this commit it has the transfer too.
     *
     * @throws TransferOutcomeUnknownException when the standby does not confirm in time; it names {@code transferId},
     *         where there is one
     */
    public void confirmReplicated(Long transferId, Collection<Long> accountIds) {
        QuarkusTransaction.requiringNew().run(() -> {
            // A count, not the rows: a column of a table would have the driver ask the catalog about it first.
            entityManager.createNativeQuery("select count(*) from (select 1 from account where id in (:accounts)"
                            + " for key share) locked")
                    .setParameter("accounts", accountIds)
                    .getSingleResult();
            commit(transferId);
        });
    }

    /** Binds the parameters of a statement sent with the COMMIT. */
    @FunctionalInterface
    public interface Parameters {
        void bind(Connection connection, PreparedStatement statement) throws SQLException;
    }

    /**
     * Flushes and commits the current transaction.
     *
     * @throws TransferOutcomeUnknownException when PostgreSQL committed locally without the standby's confirmation
     *         (the wait ran out, or was cancelled); {@code transferId} names the ledger row, where there is one
     */
    public void commit(Long transferId) {
        send(transferId, "commit", (connection, statement) -> {
        });
    }

    /**
     * Flushes, then sends {@code lastStatement} and the COMMIT in one round trip (the driver sends them as two queries
     * before one synchronisation point). If the statement fails, PostgreSQL skips the COMMIT and the transaction rolls
     * back; the statement's answer is not read. It must raise no notice: a warning is taken for the standby's.
     *
     * @throws CommitSkippedException when the statement failed, and the COMMIT with it did not run
     * @throws TransferOutcomeUnknownException as {@link #commit}
     */
    public void commitWith(Long transferId, String lastStatement, Parameters parameters) {
        send(transferId, lastStatement + ";\ncommit", parameters);
    }

    private void send(Long transferId, String sql, Parameters parameters) {
        entityManager.flush();
        entityManager.unwrap(Session.class).doWork(connection -> {
            if (connection.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED) {
                // PostgreSQL would answer this COMMIT with a ROLLBACK, and a statement's COMMIT raises no error for
                // it (the driver's own commit() would): a failed statement went unnoticed, which is a fault of ours.
                throw new IllegalStateException("A statement of this transaction failed unnoticed; its COMMIT would "
                        + "roll it back");
            }
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                parameters.bind(connection, statement);
                statement.setQueryTimeout(timeoutSeconds);
                try {
                    statement.execute();
                } catch (SQLException failure) {
                    // A COMMIT that ran ended the transaction, failed or not; one still open and failed never ran.
                    if (connection.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED) {
                        throw new CommitSkippedException(failure);
                    }
                    throw failure;
                }
                SQLWarning warning = statement.getWarnings();
                if (warning != null) {
                    throw new TransferOutcomeUnknownException(transferId, "PostgreSQL committed on the primary "
                            + "without the synchronous standby's confirmation (the commit timeout ran out, or the wait "
                            + "was cancelled), so a failover could still lose it", warning);
                }
            }
        });
    }
}
