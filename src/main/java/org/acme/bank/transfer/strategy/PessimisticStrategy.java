package org.acme.bank.transfer.strategy;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.bank.account.Account;
import org.acme.bank.ledger.Transfer;
import org.acme.bank.transfer.TransferCommand;
import org.acme.bank.transfer.TransferSteps;
import org.acme.bank.transfer.TransferStrategy;

/**
 * Locks both accounts in ascending id order, whatever the direction of the transfer. Every transaction then waits
 * only for a lower-numbered lock while holding a lower one, so no cycle of waits, and no deadlock, can form.
 */
@ApplicationScoped
public class PessimisticStrategy implements TransferStrategy {

    public static final String NAME = "pessimistic";

    private final TransferSteps steps;

    PessimisticStrategy(TransferSteps steps) {
        this.steps = steps;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Transfer execute(TransferCommand command) {
        return steps.inNewTransaction(() -> {
            Account lower = steps.lock(command.lowerAccountId());
            steps.pauseBetweenLocks();
            Account higher = steps.lock(command.higherAccountId());
            boolean forward = lower.id == command.from();
            return steps.book(forward ? lower : higher, forward ? higher : lower, command, NAME, 1);
        });
    }
}
