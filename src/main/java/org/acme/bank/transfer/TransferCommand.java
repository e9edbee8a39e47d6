package org.acme.bank.transfer;

import java.math.BigDecimal;

import org.acme.bank.Caller;
import org.acme.bank.Money;

/**
 * A validated request of {@code caller} to move {@code amount} from one account to another, with the caller's
 * idempotency key or null.
 */
public record TransferCommand(Caller caller, long from, long to, BigDecimal amount, String idempotencyKey) {

    public TransferCommand {
        if (from == to) {
            throw new IllegalArgumentException("from and to must differ");
        }
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        amount = Money.of(amount);
    }

    public long lowerAccountId() {
        return Math.min(from, to);
    }

    public long higherAccountId() {
        return Math.max(from, to);
    }
}
