package org.acme.bank.transfer;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

import org.acme.bank.Caller;
import org.acme.bank.Money;

/**
 * A validated request of {@code caller} to move {@code amount} from one account to another, with the caller's
 * idempotency key or null.
 */
public record TransferCommand(Caller caller, long from, long to, BigDecimal amount, String idempotencyKey)
        implements Movement {

    public TransferCommand {
        Objects.requireNonNull(caller, "caller");
        if (from == to) {
            throw new IllegalArgumentException("from and to must differ");
        }
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        amount = Money.of(amount);
    }

    @Override
    public List<Leg> legs() {
        return List.of(new Leg(from, to, amount));
    }
}
