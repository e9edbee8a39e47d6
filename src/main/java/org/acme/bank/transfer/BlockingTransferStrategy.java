package org.acme.bank.transfer;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.acme.bank.ledger.Transfer;

/** A strategy that runs its transaction(s) in the calling thread, so it is called on a worker thread. */
public interface BlockingTransferStrategy extends TransferStrategy {

    List<Transfer> execute(Movement movement);

    @Override
    default CompletionStage<List<Transfer>> submit(Movement movement, Executor workers) {
        return CompletableFuture.supplyAsync(() -> execute(movement), workers);
    }
}
