package org.acme.bank.transfer;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.acme.bank.ledger.Transfer;

/**
 * A strategy that runs its transaction(s) in the calling thread, so it is called on a worker thread. What it does to a
 * transfer it does to any work on accounts ({@link #attempt}): a hold is placed the same way.
 */
public interface BlockingTransferStrategy extends TransferStrategy {

    /** One try of some work on accounts, in a transaction of its own, given the attempt's number. */
    @FunctionalInterface
    interface Attempt<T> {
        T run(int attempt, TransferTransaction.AccountAccess access);
    }

    /**
     * Runs the work as this strategy runs a transfer: with its way of getting hold of the accounts, and again for as
     * long as it retries lost races. The work throws {@link org.acme.bank.BankException}s, conflicts included.
     */
    <T> T attempt(Attempt<T> work);

    /** The movement's ledger rows, in the order of its legs. */
    List<Transfer> execute(Movement movement);

    @Override
    default CompletionStage<List<Transfer>> submit(Movement movement, Executor workers) {
        return CompletableFuture.supplyAsync(() -> execute(movement), workers);
    }
}
