package org.acme.bank.transfer;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

import org.acme.bank.Caller;

/**
 * A validated request of {@code caller} to move {@code amount} from one account to another, with the caller's
 * idempotency key or null.
 */
public record TransferCommand(Caller caller, long from, long to, BigDecimal amount, String idempotencyKey)
        implements Movement {

    public TransferCommand {
        Objects.requireNonNull(caller, "caller");
        // A leg's rules are a transfer's.
        amount = new Leg(from, to, amount).amount();
    }

    @Override
    public List<Leg> legs() {
        return List.of(new Leg(from, to, amount));
    }
}
