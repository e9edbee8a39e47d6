package org.acme.bank.transfer;

import java.math.BigDecimal;

import org.acme.bank.Money;

/** One movement of {@code amount} from one account to another: a transfer, or one leg of a transaction. */
public record Leg(long from, long to, BigDecimal amount) {

    public Leg {
        if (from == to) {
            throw new IllegalArgumentException("from and to must differ");
        }
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        amount = Money.of(amount);
    }
}
