package org.acme.bank.transfer;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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
import org.acme.bank.ledger.IdempotencyKey;
import org.acme.bank.ledger.Transfer;

/**
 * The steps every strategy shares; the strategies differ only in how they read and lock the two accounts.
 * <p>
 * A transfer costs four round trips to PostgreSQL, and a keyed one five, of which the rows stay locked for the last
 * three: the key ({@code insert ... on conflict do nothing}, keyed requests only), the accounts (one query), the
 * ledger row and the account updates (one JDBC batch each, at flush), COMMIT. The ledger row's id comes from a pooled
 * sequence, so it is known before anything is written; the lock timeout is a setting of the connection
 * ({@code LockTimeoutOnConnect}), not a statement of each transaction.
 */
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

    /** How a strategy gets hold of the two accounts of a transfer, inside its transaction. */
    @FunctionalInterface
    public interface AccountAccess {
        Parties open(TransferCommand command);
    }

    /** The two accounts of a transfer, as a strategy read (and perhaps locked) them. */
    public record Parties(Account sender, Account receiver) {
    }

    /**
     * Runs one attempt of a transfer in a transaction of its own: claims the idempotency key if there is one, lets
     * the strategy read the accounts, moves the money, writes the ledger row, commits. A failure comes out as the
     * {@link BankException} it stands for: a domain rule, {@link IdempotencyKeyBoundException} when the key already
     * stands for a committed transfer, or a {@link ConcurrencyConflictException} read from the SQLSTATE. Anything else
     * (an unreachable database, a fault) is rethrown as it is.
     * <p>
     * A failure after every statement has run can only be the COMMIT's, and a COMMIT whose answer was lost (the
     * connection broke, the server went down) may still have happened. The ledger is then asked afresh, so that the
     * client is told the truth: the transfer, its absence, or {@link TransferOutcomeUnknownException} when even the
     * question cannot be asked.
     */
    public Transfer inNewTransaction(TransferCommand command, String strategy, int attempt, AccountAccess access) {
        AtomicReference<Transfer> awaitingCommit = new AtomicReference<>();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                Transfer transfer = Transfer.record(command.from(), command.to(), command.amount(), strategy, attempt);
                if (command.idempotencyKey() != null && !IdempotencyKey.claim(command.idempotencyKey(), transfer)) {
                    throw new IdempotencyKeyBoundException(command.idempotencyKey());
                }
                Parties parties = access.open(command);
                parties.sender().debit(command.amount());
                parties.receiver().credit(command.amount());
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

    /**
     * Locks both accounts with one query, lowest id first: PostgreSQL locks the rows in the order the query returns
     * them, so every transfer waits only for a lower id while holding a lower one, and no cycle of waits can form.
     */
    public Parties lockInIdOrder(TransferCommand command) {
        return parties(command, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Reads both accounts with one query, without locking them. */
    public Parties read(TransferCommand command) {
        return parties(command, LockModeType.NONE);
    }

    /** Reads one account and holds a row lock on it until the transaction ends. */
    public Account lock(long id) {
        return found(id, entityManager.find(Account.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** Widens the race window when {@code bank.transfer.pause-between-locks} asks for it. */
    public void pauseBetweenLocks() {
        pause(settings.pauseBetweenLocks());
    }

    private Parties parties(TransferCommand command, LockModeType lock) {
        List<Account> accounts = entityManager
                .createQuery("from Account where id in (:lower, :higher) order by id", Account.class)
                .setParameter("lower", command.lowerAccountId())
                .setParameter("higher", command.higherAccountId())
                .setLockMode(lock)
                .getResultList();
        Account sender = null;
        Account receiver = null;
        for (Account account : accounts) {
            if (account.id == command.from()) {
                sender = account;
            } else {
                receiver = account;
            }
        }
        return new Parties(found(command.from(), sender), found(command.to(), receiver));
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
     * Asks the ledger whether the transfer whose COMMIT failed is there: returns it, or throws what the failure stands
     * for (nothing happened) or {@link TransferOutcomeUnknownException}. A fault that broke one connection has often
     * broken the pool's idle ones too (a database restart), so a look-up that fails has the pool drop its invalid
     * connections and is tried again, a bounded number of times, before the outcome is called unknown.
     */
    public Transfer committedDespite(RuntimeException commitFailure, long transferId) {
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

    /**
     * The failure as a client should hear it: the {@link BankException} inside it, or a 409 conflict for a deadlock,
     * lock timeout or serialization failure (by SQLSTATE); anything else unchanged.
     */
    public static RuntimeException asBankException(RuntimeException failure) {
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
