package org.acme.bank.transfer;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.acme.bank.ledger.IdempotencyKey;
import org.acme.bank.ledger.Transfer;

/**
 * One attempt of one transfer, in a transaction of its own; the strategies differ only in how they get hold of the
 * two accounts ({@link AccountLocks}).
 * <p>
 * A transfer costs four round trips to PostgreSQL, and a keyed one five, of which the rows stay locked for the last
 * three: the key ({@code insert ... on conflict do nothing}, keyed requests only), the accounts (one query), the
 * ledger row and the account updates (one JDBC batch each, at flush), COMMIT. The ledger row's id comes from a pooled
 * sequence, so it is known before anything is written; the lock timeout is a setting of the connection
 * ({@code LockTimeoutOnConnect}), not a statement of each transaction.
 */
@ApplicationScoped
public class TransferTransaction {

    /** How a strategy gets hold of the two accounts of a transfer, inside its transaction. */
    @FunctionalInterface
    public interface AccountAccess {
        AccountLocks.Parties open(TransferCommand command);
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
     * ledger row, commits. A failure comes out as the {@link org.acme.bank.BankException} it stands for: a domain
     * rule, {@link IdempotencyKeyBoundException} when the key already stands for a committed transfer,
     * {@link IdempotencyKeyInProgressException} when another request held the key past the lock timeout, or a
     * {@link ConcurrencyConflictException} read from the SQLSTATE. Anything else (an unreachable database, a fault) is
     * rethrown as it is.
     * <p>
     * A failure after every statement has run can only be the COMMIT's, which may have happened all the same: the
     * ledger is then asked ({@link LostCommitLookup}), so that the client hears the truth. A COMMIT that the
     * synchronous standby did not confirm in time is {@link TransferOutcomeUnknownException} ({@link ConfirmedCommit}).
     */
    public Transfer run(TransferCommand command, String strategy, int attempt, AccountAccess access) {
        AtomicReference<Transfer> awaitingCommit = new AtomicReference<>();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                Transfer transfer = Transfer.record(command.from(), command.to(), command.amount(), strategy, attempt);
                if (command.idempotencyKey() != null) {
                    claim(command, transfer);
                }
                AccountLocks.Parties parties = access.open(command);
                parties.sender().debit(command.caller(), command.amount());
                parties.receiver().credit(command.amount());
                entityManager.flush();
                awaitingCommit.set(transfer);
                confirmedCommit.commit(transfer.id);
                return transfer;
            });
        } catch (TransferOutcomeUnknownException unconfirmed) {
            throw unconfirmed;
        } catch (RuntimeException failure) {
            Transfer unsettled = awaitingCommit.get();
            if (unsettled == null) {
                throw TransferFailures.asBankException(failure);
            }
            if (lostCommits.committed(List.of(unsettled.id), List.of(command.from(), command.to()), failure,
                    unsettled.id)) {
                return unsettled;
            }
            throw TransferFailures.asBankException(failure);
        }
    }

    private static void claim(TransferCommand command, Transfer transfer) {
        String key = command.idempotencyKey();
        boolean claimed;
        try {
            claimed = IdempotencyKey.claim(command.caller().subject(), key, transfer);
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
