package org.acme.bank.web;

import java.math.BigDecimal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /accounts}; the opening balance is optional and defaults to zero. */
public record OpenAccountRequest(
        // PostgreSQL text cannot hold NUL, and no name needs control characters (written so that JavaScript and the
        // OpenAPI tools read the same pattern as Java).
        @Schema(example = "Alice")
        @NotBlank @Size(max = 100)
        @Pattern(regexp = "[^\\x00-\\x1F\\x7F]*", message = "must not contain control characters")
        String owner,
        @Schema(example = "1000.00") @PositiveOrZero @MoneyAmount
        BigDecimal balance) {

    BigDecimal openingBalance() {
        return balance == null ? BigDecimal.ZERO : balance;
    }
}
