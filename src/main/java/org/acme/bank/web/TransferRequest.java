package org.acme.bank.web;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.acme.bank.Caller;
import org.acme.bank.transfer.TransferCommand;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of every {@code POST /transfers/{strategy}}, and one leg of a transaction. */
public record TransferRequest(
        @Schema(description = "The account the money leaves", example = "1") @NotNull @Positive Long from,
        @Schema(description = "The account the money reaches", example = "2") @NotNull @Positive Long to,
        @Schema(example = "25.00") @NotNull @Positive @MoneyAmount
        BigDecimal amount) {

    @JsonIgnore
    @AssertTrue(message = "from and to must be different accounts")
    public boolean isDistinctAccounts() {
        return from == null || !from.equals(to);
    }

    TransferCommand toCommand(Caller caller, String idempotencyKey) {
        return new TransferCommand(caller, from, to, amount, idempotencyKey);
    }
}
