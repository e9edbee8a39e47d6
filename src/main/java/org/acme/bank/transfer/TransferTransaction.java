package org.acme.bank.transfer;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.acme.bank.account.Account;
import org.acme.bank.ledger.IdempotencyKey;
import org.acme.bank.ledger.Transfer;
import org.acme.bank.ledger.TransferIds;

/**
 * One attempt of one movement (a transfer, or the legs of a transaction), in a transaction of its own; the strategies
 * differ only in how they get hold of the accounts ({@link AccountLocks}).
 * <p>
 * A {@code pessimistic} transfer costs two round trips to PostgreSQL, and a keyed one three, of which the rows stay
 * locked for the last: the key ({@code insert ... on conflict do nothing}, keyed requests only), the accounts (one
 * locking query), then the account updates with the ledger rows (one statement, whatever the number of legs) sent with
 * the COMMIT. An {@code optimistic} one sends the account updates apart (one JDBC batch, flushed), then the rows with
 * the COMMIT: one round trip more.
 * The rows' ids come from a pooled sequence ({@link TransferIds}), so they are known before anything is written; the
 * lock timeout is a setting of the connection ({@code LockTimeoutOnConnect}), not a statement of each transaction.
 */
@ApplicationScoped
public class TransferTransaction {

    /** How a strategy gets hold of the accounts of a movement, inside its transaction: those it found, by id. */
    @FunctionalInterface
    public interface AccountAccess {
        Map<Long, Account> open(Movement movement);
    }

    private final EntityManager entityManager;
    private final ConfirmedCommit confirmedCommit;
    private final LostCommitLookup lostCommits;
    private final TransferIds transferIds;

    TransferTransaction(EntityManager entityManager, ConfirmedCommit confirmedCommit, LostCommitLookup lostCommits,
            TransferIds transferIds) {
        this.entityManager = entityManager;
        this.transferIds = transferIds;
        this.confirmedCommit = confirmedCommit;
        this.lostCommits = lostCommits;
    }

    /**
     * Claims the idempotency key if there is one, lets the strategy read the accounts, moves the money, writes the
     * ledger rows, commits, and answers the rows in the order of the legs. A failure comes out as the
     * {@link org.acme.bank.BankException} it stands for: a domain rule (for a transaction, {@link LegRefusedException}
     * naming the leg), {@link IdempotencyKeyBoundException} when the key already stands for a committed movement,
     * {@link IdempotencyKeyInProgressException} when another request held the key past the lock timeout, or a
     * {@link ConcurrencyConflictException} read from the SQLSTATE. Anything else (an unreachable database, a fault) is
     * rethrown as it is.
     * <p>
     * A failure once the last statement is out with the COMMIT may be the COMMIT's, which may have happened all the
     * same: the ledger is then asked ({@link LostCommitLookup}), so that the client hears the truth; unless PostgreSQL
     * answered that the statement failed and the COMMIT did not run ({@link CommitSkippedException}). A COMMIT that the
     * synchronous standby did not confirm in time is {@link TransferOutcomeUnknownException} ({@link ConfirmedCommit}).
     */
    public List<Transfer> run(Movement movement, String strategy, int attempt, AccountAccess access) {
        AtomicReference<List<Transfer>> awaitingCommit = new AtomicReference<>();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                List<Transfer> rows = rows(movement, strategy, attempt);
                if (movement.idempotencyKey() != null) {
                    claim(movement, rows.get(0));
                }
                Map<Long, Account> accounts = access.open(movement);
                Instant at = Account.entryTime(accounts.values());
                Account.readLapsed(accounts.values(), at);
                Moves.apply(movement, accounts, rows, at);
                writeAndCommit(accounts.values(), rows, awaitingCommit);
                return rows;
            });
        } catch (TransferOutcomeUnknownException unconfirmed) {
            throw unconfirmed;
        } catch (RuntimeException failure) {
            List<Transfer> unsettled = awaitingCommit.get();
            if (unsettled == null || failure instanceof CommitSkippedException) {
                throw TransferFailures.asBankException(failure);
            }
            if (lostCommits.committed(unsettled.stream().map(row -> row.id).toList(), movement.accountIds(), failure,
                    unsettled.get(0).id)) {
                return unsettled;
            }
            throw TransferFailures.asBankException(failure);
        }
    }

    /**
     * Writes the accounts and the ledger rows, and commits; the last statement goes with the COMMIT, so that the rows
     * stay locked for one round trip fewer (measured on two hot accounts, see docs/lab.md). Accounts this transaction
     * locked cannot have changed since they were read: they go out with the rows in one statement. Accounts read
     * without a lock go out first, as the session's versioned UPDATEs in id order: a transfer that lost the race fails
     * its version check there, before its rows could collide with the winner's entry numbers. From the statement that
     * may commit on, a failure leaves the outcome to be asked ({@code awaitingCommit}).
     */
    private void writeAndCommit(Collection<Account> accounts, List<Transfer> rows,
            AtomicReference<List<Transfer>> awaitingCommit) {
        Long reported = rows.get(0).id;
        if (accounts.stream()
                .allMatch(account -> entityManager.getLockMode(account) == LockModeType.PESSIMISTIC_WRITE)) {
            accounts.forEach(entityManager::detach);
            awaitingCommit.set(rows);
            confirmedCommit.commitWith(reported, Transfer.BOOKING,
                    (connection, booking) -> Transfer.bindBooking(connection, booking, rows, accounts));
        } else {
            entityManager.flush();
            awaitingCommit.set(rows);
            confirmedCommit.commitWith(reported, Transfer.INSERT_ALL,
                    (connection, insert) -> Transfer.bindInsertAll(connection, insert, rows));
        }
    }

    /**
     * The ledger rows of the legs, not yet written: ids drawn in leg order, a transaction's legs each naming the first
     * as their transaction.
     */
    private List<Transfer> rows(Movement movement, String strategy, int attempt) {
        List<Leg> legs = movement.legs();
        List<Long> ids = transferIds.draw(legs.size());
        Long transactionId = movement.isTransaction() ? ids.get(0) : null;
        // PostgreSQL keeps microseconds: truncated, the answer equals what a later read returns.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Transfer> rows = new ArrayList<>(legs.size());
        for (int i = 0; i < legs.size(); i++) {
            rows.add(Transfer.written(ids.get(i), legs.get(i), strategy, attempt, now, transactionId));
        }
        return rows;
    }

    private static void claim(Movement movement, Transfer first) {
        String key = movement.idempotencyKey();
        boolean claimed;
        try {
            claimed = IdempotencyKey.claim(movement.caller().subject(), key, first);
        } catch (RuntimeException failure) {
            if (TransferFailures.isLockTimeout(failure)) {
                // The key's transaction is still running: it may yet commit, so "nothing changed" would mislead.
                throw new IdempotencyKeyInProgressException(key);
            }
            throw failure;
        }
        if (!claimed) {
            throw new IdempotencyKeyBoundException(key);
        }
    }
}
