package org.acme.bank.transfer;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.acme.bank.account.Account;
import org.acme.bank.ledger.IdempotencyKey;
import org.acme.bank.ledger.Transfer;

/**
 * One attempt of one movement (a transfer, or the legs of a transaction), in a transaction of its own; the strategies
 * differ only in how they get hold of the accounts ({@link AccountLocks}).
 * <p>
 * A transfer costs four round trips to PostgreSQL, and a keyed one five, of which the rows stay locked for the last
 * three: the key ({@code insert ... on conflict do nothing}, keyed requests only), the accounts (one query), the
 * ledger row and the account updates (one JDBC batch each, at flush), COMMIT. The ledger row's id comes from a pooled
 * sequence, so it is known before anything is written; the lock timeout is a setting of the connection
 * ({@code LockTimeoutOnConnect}), not a statement of each transaction. A transaction draws its legs' ids first (one
 * more round trip: every leg names the first leg's id) and writes them with one statement.
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

    TransferTransaction(EntityManager entityManager, ConfirmedCommit confirmedCommit, LostCommitLookup lostCommits) {
        this.entityManager = entityManager;
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
     * A failure after every statement has run can only be the COMMIT's, which may have happened all the same: the
     * ledger is then asked ({@link LostCommitLookup}), so that the client hears the truth. A COMMIT that the
     * synchronous standby did not confirm in time is {@link TransferOutcomeUnknownException} ({@link ConfirmedCommit}).
     */
    public List<Transfer> run(Movement movement, String strategy, int attempt, AccountAccess access) {
        AtomicReference<List<Transfer>> awaitingCommit = new AtomicReference<>();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                List<Transfer> rows = movement.isTransaction() ? legs(movement, strategy, attempt)
                        : List.of(Transfer.record(movement.legs().get(0), strategy, attempt));
                if (movement.idempotencyKey() != null) {
                    claim(movement, rows.get(0));
                }
                Moves.apply(movement, access.open(movement));
                if (movement.isTransaction()) {
                    Transfer.insertAll(rows);
                }
                entityManager.flush();
                awaitingCommit.set(rows);
                confirmedCommit.commit(rows.get(0).id);
                return rows;
            });
        } catch (TransferOutcomeUnknownException unconfirmed) {
            throw unconfirmed;
        } catch (RuntimeException failure) {
            List<Transfer> unsettled = awaitingCommit.get();
            if (unsettled == null) {
                throw TransferFailures.asBankException(failure);
            }
            if (lostCommits.committed(unsettled.stream().map(row -> row.id).toList(), movement.accountIds(), failure,
                    unsettled.get(0).id)) {
                return unsettled;
            }
            throw TransferFailures.asBankException(failure);
        }
    }

    /** The legs' rows, not yet written: ids drawn in leg order, each naming the first as its transaction. */
    private static List<Transfer> legs(Movement movement, String strategy, int attempt) {
        List<Leg> legs = movement.legs();
        List<Long> ids = Transfer.nextIds(legs.size());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Transfer> rows = new ArrayList<>(legs.size());
        for (int i = 0; i < legs.size(); i++) {
            rows.add(Transfer.written(ids.get(i), legs.get(i), strategy, attempt, now, ids.get(0)));
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
