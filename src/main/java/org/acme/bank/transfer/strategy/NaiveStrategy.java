package org.acme.bank.transfer.strategy;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.bank.config.BankConfig;
import org.acme.bank.ledger.Transfer;
import org.acme.bank.transfer.BlockingTransferStrategy;
import org.acme.bank.transfer.ConflictKind;
import org.acme.bank.transfer.AccountLocks;
import org.acme.bank.transfer.Movement;
import org.acme.bank.transfer.TransferTransaction;

/**
 * The bug this project exists to explain: lock the sender, then the receiver (leg after leg, in a transaction). Alice-to-Bob and Bob-to-Alice at the
 * same moment each hold one lock and wait for the other's, and PostgreSQL aborts one of them. Never retried, so the
 * deadlock is visible; disabled in production.
 * <p>
 * Its deadlocks are shown by {@code DeadlockScenarioTest} and {@code HotSpotTest}; alone it is correct
 * ({@code NaiveStrategyTest}).
 */
@ApplicationScoped
public class NaiveStrategy implements BlockingTransferStrategy {

    public static final String NAME = "naive";

    private final TransferTransaction transaction;
    private final AccountLocks locks;
    private final boolean enabled;

    NaiveStrategy(TransferTransaction transaction, AccountLocks locks, BankConfig config) {
        this.transaction = transaction;
        this.locks = locks;
        this.enabled = config.transfer().naive().enabled();
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
    public boolean enabled() {
        return enabled;
    }

    @Override
    public <T> T attempt(Attempt<T> work) {
        return work.run(1, locks::lockLegByLeg);
    }

    @Override
    public List<Transfer> execute(Movement movement) {
        return attempt((attempt, access) -> transaction.run(movement, NAME, attempt, access));
    }
}
