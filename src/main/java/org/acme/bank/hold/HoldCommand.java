package org.acme.bank.hold;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import org.acme.bank.Caller;
import org.acme.bank.transfer.TransferCommand;

/**
 * A validated request of {@code caller} to reserve {@code amount} on one account for another, for {@code expiresIn},
 * with the caller's idempotency key or null. Its accounts are those of the transfer it may become.
 */
public record HoldCommand(Caller caller, long from, long to, BigDecimal amount, Duration expiresIn,
        String idempotencyKey) {

    public HoldCommand {
        Objects.requireNonNull(expiresIn, "expiresIn");
        if (expiresIn.isNegative() || expiresIn.isZero()) {
            throw new IllegalArgumentException("expiresIn must be positive");
        }
        amount = asTransfer(caller, from, to, amount).amount();
        // PostgreSQL keeps microseconds: the expiry stored is then the one computed, and a repeat compares equal.
        expiresIn = expiresIn.truncatedTo(ChronoUnit.MICROS);
    }

    /** The transfer a full posting would make: the accounts a strategy gets hold of to place it. */
    TransferCommand asTransfer() {
        return asTransfer(caller, from, to, amount);
    }

    private static TransferCommand asTransfer(Caller caller, long from, long to, BigDecimal amount) {
        return new TransferCommand(caller, from, to, amount, null);
    }
}
