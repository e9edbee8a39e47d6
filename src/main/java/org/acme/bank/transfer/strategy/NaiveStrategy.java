package org.acme.bank.transfer.strategy;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.bank.account.Account;
import org.acme.bank.config.BankConfig;
import org.acme.bank.ledger.Transfer;
import org.acme.bank.transfer.BlockingTransferStrategy;
import org.acme.bank.transfer.TransferCommand;
import org.acme.bank.transfer.TransferSteps;

/**
 * The bug this project exists to explain: lock the sender, then the receiver. Alice-to-Bob and Bob-to-Alice at the
 * same moment each hold one lock and wait for the other's, and PostgreSQL aborts one of them. Never retried, so the
 * deadlock is visible; disabled in production.
 * <p>
 * Its deadlocks are shown by {@code DeadlockScenarioTest} and {@code HotSpotTest}; alone it is correct
 * ({@code NaiveStrategyTest}).
 */
@ApplicationScoped
public class NaiveStrategy implements BlockingTransferStrategy {

    public static final String NAME = "naive";

    private final TransferSteps steps;
    private final boolean enabled;

    NaiveStrategy(TransferSteps steps, BankConfig config) {
        this.steps = steps;
        this.enabled = config.transfer().naive().enabled();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public Transfer execute(TransferCommand command) {
        return steps.inNewTransaction(command, NAME, 1, locked -> {
            Account sender = steps.lock(locked.from());
            steps.pauseBetweenLocks();
            Account receiver = steps.lock(locked.to());
            return new TransferSteps.Parties(sender, receiver);
        });
    }
}
