package org.acme.bank.transfer;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.acme.bank.BankException;
import org.acme.bank.SqlStates;
import org.acme.bank.account.Account;
import org.acme.bank.account.AccountNotFoundException;
import org.acme.bank.config.BankConfig;
import org.acme.bank.ledger.Transfer;

/** The steps every strategy shares; the strategies differ only in how they read and lock the two accounts. */
@ApplicationScoped
public class TransferSteps {

    /** Look-ups of the ledger after a failed COMMIT before its outcome is called unknown. */
    private static final int LEDGER_LOOKUPS = 3;
    /** The first pause between two look-ups, time for the pool to drop its broken connections; then longer. */
    private static final Duration LOOKUP_PAUSE = Duration.ofMillis(100);

    private final EntityManager entityManager;
    private final AgroalDataSource pool;
    private final BankConfig.TransferSettings settings;

    TransferSteps(EntityManager entityManager, AgroalDataSource pool, BankConfig config) {
        this.entityManager = entityManager;
        this.pool = pool;
        this.settings = config.transfer();
    }

    /**
     * Runs {@code work} in a transaction of its own with every lock wait bounded by the lock timeout. A failure comes
     * out as the {@link BankException} it stands for: a domain rule, or a {@link ConcurrencyConflictException} read
     * from the SQLSTATE. Anything else (an unreachable database, a fault) is rethrown as it is.
     * <p>
     * A failure after every statement has run can only be the COMMIT's, and a COMMIT whose answer was lost (the
     * connection broke, the server went down) may still have happened. The ledger is then asked afresh, so that the
     * client is told the truth: the transfer, its absence, or {@link TransferOutcomeUnknownException} when even the
     * question cannot be asked.
     */
    public Transfer inNewTransaction(Supplier<Transfer> work) {
        AtomicReference<Transfer> awaitingCommit = new AtomicReference<>();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                boundLockWaits();
                Transfer transfer = work.get();
                entityManager.flush();
                awaitingCommit.set(transfer);
                return transfer;
            });
        } catch (RuntimeException failure) {
            if (awaitingCommit.get() != null) {
                return committedDespite(failure, awaitingCommit.get().id);
            }
            throw asBankException(failure);
        }
    }

    /** Reads an account without locking it. */
    public Account read(long id) {
        return found(id, entityManager.find(Account.class, id));
    }

    /** Reads an account and holds a row lock on it until the transaction ends. */
    public Account lock(long id) {
        return found(id, entityManager.find(Account.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** Widens the race window when {@code bank.transfer.pause-between-locks} asks for it. */
    public void pauseBetweenLocks() {
        pause(settings.pauseBetweenLocks());
    }

    private static void pause(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(pause.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while pausing", e);
        }
    }

    /**
     * Moves the money and writes the ledger row. The account updates are flushed first, in id order (Hibernate's
     * {@code order_updates}), so that a version conflict surfaces here, before the ledger insert.
     */
    public Transfer book(Account from, Account to, TransferCommand command, String strategy, int attempts) {
        from.debit(command.amount());
        to.credit(command.amount());
        entityManager.flush();
        return Transfer.record(from.id, to.id, command.amount(), strategy, attempts, command.idempotencyKey());
    }

    /**
     * Hibernate's own lock-timeout hint is sent after the locking SELECT on this version, where it has no effect, so
     * the bound is set for the whole transaction up front.
     */
    private void boundLockWaits() {
        entityManager.createNativeQuery("select set_config('lock_timeout', :timeout, true)")
                .setParameter("timeout", settings.lockTimeout().toMillis() + "ms")
                .getSingleResult();
    }

    /**
     * Asks the ledger whether the transfer whose COMMIT failed is there. A fault that broke one connection has often
     * broken the pool's idle ones too (a database restart), so a look-up that fails has the pool drop its invalid
     * connections and is tried again, a bounded number of times, before the outcome is called unknown.
     */
    private Transfer committedDespite(RuntimeException commitFailure, long transferId) {
        for (int lookup = 1;; lookup++) {
            Optional<Transfer> committed;
            try {
                committed = QuarkusTransaction.requiringNew()
                        .call(() -> Optional.ofNullable(entityManager.find(Transfer.class, transferId)));
            } catch (RuntimeException lookupFailure) {
                commitFailure.addSuppressed(lookupFailure);
                if (lookup == LEDGER_LOOKUPS) {
                    throw new TransferOutcomeUnknownException(transferId, commitFailure);
                }
                pool.flush(AgroalDataSource.FlushMode.INVALID);
                pause(LOOKUP_PAUSE.multipliedBy(lookup));
                continue;
            }
            return committed.orElseThrow(() -> asBankException(commitFailure));
        }
    }

    private static Account found(long id, Account account) {
        if (account == null) {
            throw new AccountNotFoundException(id);
        }
        return account;
    }

    private static RuntimeException asBankException(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BankException bankException) {
                return bankException;
            }
        }
        return ConflictKind.of(failure)
                .<RuntimeException>map(kind -> new ConcurrencyConflictException(kind, describe(kind),
                        SqlStates.of(failure).orElse(null)))
                .orElse(failure);
    }

    private static String describe(ConflictKind kind) {
        return switch (kind) {
            case DEADLOCK -> "The database detected a deadlock and aborted this transfer";
            case SERIALIZATION_FAILURE -> "The database could not serialize this transfer with a concurrent one";
            case LOCK_TIMEOUT -> "An account stayed locked by another transaction for longer than the lock timeout";
            case VERSION_CONFLICT -> "An account changed while this transfer was being prepared";
            case RETRIES_EXHAUSTED -> "The transfer lost every attempt to a concurrent one";
        };
    }
}
