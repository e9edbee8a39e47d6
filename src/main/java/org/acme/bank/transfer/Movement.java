package org.acme.bank.transfer;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.acme.bank.Caller;

/**
 * What a caller asks the strategies to apply in one database transaction: a single transfer, or the legs of a
 * transaction, all or none. Each leg becomes a ledger row.
 */
public sealed interface Movement permits TransferCommand, TransactionCommand {

    Caller caller();

    /** In the order they apply. */
    List<Leg> legs();

    /** The caller's idempotency key, or null. */
    String idempotencyKey();

    /** Whether the legs form a transaction: their rows name it, and a refusal names its leg. */
    default boolean isTransaction() {
        return this instanceof TransactionCommand;
    }

    /** Every account the legs touch, in id order: the order in which they are locked. */
    default Set<Long> accountIds() {
        Set<Long> ids = new TreeSet<>();
        for (Leg leg : legs()) {
            ids.add(leg.from());
            ids.add(leg.to());
        }
        return ids;
    }
}
