package org.acme.bank.transfer;

import java.util.List;
import java.util.Objects;

import org.acme.bank.Caller;

/**
 * A validated request of {@code caller} to apply several legs in one database transaction, all or none, with the
 * caller's idempotency key (one for the whole transaction) or null.
 */
public record TransactionCommand(Caller caller, List<Leg> legs, String idempotencyKey) implements Movement {

    public TransactionCommand {
        Objects.requireNonNull(caller, "caller");
        legs = List.copyOf(legs);
        if (legs.size() < 2) {
            throw new IllegalArgumentException("a transaction has at least two legs");
        }
    }
}
