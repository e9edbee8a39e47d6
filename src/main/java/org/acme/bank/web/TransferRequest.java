package org.acme.bank.web;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.acme.bank.transfer.TransferCommand;

/** Body of {@code POST /transfers/{strategy}}. */
public record TransferRequest(
        @NotNull @Positive Long from,
        @NotNull @Positive Long to,
        @NotNull @Positive @MoneyAmount
        BigDecimal amount) {

    @JsonIgnore
    @AssertTrue(message = "from and to must be different accounts")
    public boolean isDistinctAccounts() {
        return from == null || !from.equals(to);
    }

    TransferCommand toCommand(String idempotencyKey) {
        return new TransferCommand(from, to, amount, idempotencyKey);
    }
}
