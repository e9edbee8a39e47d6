package org.acme.bank.transfer;

import org.acme.bank.ledger.Transfer;

/**
 * One way of moving money under concurrency. An implementation owns its transaction(s) and its locking, and either
 * returns the ledger row it wrote or throws a {@link org.acme.bank.BankException} with nothing written.
 */
public interface TransferStrategy {

    /** The name clients use in {@code POST /transfers/{strategy}}. */
    String name();

    /** A disabled strategy is answered like an unknown one. */
    default boolean enabled() {
        return true;
    }

    Transfer execute(TransferCommand command);
}
