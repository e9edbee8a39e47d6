package org.acme.bank.transfer;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.acme.bank.ledger.Transfer;

/**
 * One way of moving money under concurrency. An implementation owns its transaction(s) and its locking, and either
 * answers the ledger row it wrote or fails with a {@link org.acme.bank.BankException} with nothing written.
 */
public interface TransferStrategy {

    /** The name clients use in {@code POST /transfers/{strategy}} and {@code POST /transactions/{strategy}}. */
    String name();

    /**
     * The races this strategy can lose and answer with; the others it retries or cannot meet. The API document lists
     * them for its operation.
     */
    Set<ConflictKind> conflicts();

    /** Whether a transfer can be refused because the strategy's queue is full ({@link TransferQueueFullException}). */
    default boolean queues() {
        return false;
    }

    /** A disabled strategy is answered like an unknown one. */
    default boolean enabled() {
        return true;
    }

    /**
     * The movement's ledger rows in the order of its legs, completed once it committed or was refused.
     * {@code workers} runs whatever must block a thread meanwhile; a strategy that waits without one (a queue) need not
     * use it.
     */
    CompletionStage<List<Transfer>> submit(Movement movement, Executor workers);
}
