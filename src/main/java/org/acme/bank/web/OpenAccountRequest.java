package org.acme.bank.web;

import java.math.BigDecimal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /accounts}; the opening balance is optional and defaults to zero. */
public record OpenAccountRequest(
        // PostgreSQL text cannot hold NUL, and no name needs control characters.
        @NotBlank @Size(max = 100) @Pattern(regexp = "\\P{Cntrl}*", message = "must not contain control characters")
        String owner,
        @PositiveOrZero @MoneyAmount
        BigDecimal balance) {

    BigDecimal openingBalance() {
        return balance == null ? BigDecimal.ZERO : balance;
    }
}
