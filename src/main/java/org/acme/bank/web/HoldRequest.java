package org.acme.bank.web;

import java.math.BigDecimal;
import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.acme.bank.Caller;
import org.acme.bank.hold.HoldCommand;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /holds/{strategy}}: a transfer's fields, and how long the money stays reserved. */
public record HoldRequest(
        @Schema(description = "The account the money is reserved on", example = "1") @NotNull @Positive Long from,
        @Schema(description = "The account a posting pays", example = "2") @NotNull @Positive Long to,
        @Schema(example = "25.00") @NotNull @Positive @MoneyAmount BigDecimal amount,
        @NotNull ExpiresIn expiresIn) {

    @JsonIgnore
    @AssertTrue(message = "from and to must be different accounts")
    public boolean isDistinctAccounts() {
        return from == null || !from.equals(to);
    }

    HoldCommand toCommand(Caller caller, Duration maxExpiry, String idempotencyKey) {
        return new HoldCommand(caller, from, to, amount, expiresIn.within(maxExpiry), idempotencyKey);
    }
}
