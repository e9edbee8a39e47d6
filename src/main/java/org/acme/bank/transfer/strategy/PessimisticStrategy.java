package org.acme.bank.transfer.strategy;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.bank.ledger.Transfer;
import org.acme.bank.transfer.BlockingTransferStrategy;
import org.acme.bank.transfer.ConflictKind;
import org.acme.bank.transfer.AccountLocks;
import org.acme.bank.transfer.Movement;
import org.acme.bank.transfer.TransferTransaction;

/**
 * Locks every account of the transfer (or of all legs of a transaction, each once) in ascending id order, whatever
 * the direction, with one query. Every transaction
 * then waits only for a lower-numbered lock while holding a lower one, so no cycle of waits, and no deadlock, can form.
 * ({@code bank.transfer.pause-between-locks} pauses after the locks, to hold them longer in demonstrations.)
 * <p>
 * Proved by {@code PessimisticStrategyTest} (the lock order, watched on the database), and under load by
 * {@code DeadlockScenarioTest}, {@code HotSpotTest}, {@code FaultsIT}; its round trips by {@code RoundTripsIT}.
 */
@ApplicationScoped
public class PessimisticStrategy implements BlockingTransferStrategy {

    public static final String NAME = "pessimistic";

    private final TransferTransaction transaction;
    private final AccountLocks locks;

    PessimisticStrategy(TransferTransaction transaction, AccountLocks locks) {
        this.transaction = transaction;
        this.locks = locks;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<ConflictKind> conflicts() {
        return ConflictKind.ROW_LOCKING;
    }

    @Override
    public <T> T attempt(Attempt<T> work) {
        return work.run(1, locked -> {
            var accounts = locks.lockInIdOrder(locked);
            locks.pauseBetweenLocks();
            return accounts;
        });
    }

    @Override
    public List<Transfer> execute(Movement movement) {
        return attempt((attempt, access) -> transaction.run(movement, NAME, attempt, access));
    }
}
