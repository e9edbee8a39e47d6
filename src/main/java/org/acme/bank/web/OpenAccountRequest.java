package org.acme.bank.web;

import java.math.BigDecimal;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.acme.bank.Caller;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /accounts}: the owner is optional (the caller when omitted), and so is the opening balance, which
 * defaults to zero.
 */
public record OpenAccountRequest(
        // A subject as tokens carry it. PostgreSQL text cannot hold NUL, and no subject needs control characters
        // (written so that JavaScript and the OpenAPI tools read the same pattern as Java).
        @Schema(description = "The holder's subject (the sub of their tokens); the caller's when omitted",
                example = "Alice")
        @Size(max = Caller.MAX_SUBJECT_LENGTH)
        @Pattern(regexp = "[^\\x00-\\x1F\\x7F]*[^\\x00-\\x20\\x7F][^\\x00-\\x1F\\x7F]*",
                message = "must contain a visible character and no control characters")
        String owner,
        @Schema(example = "1000.00") @PositiveOrZero @MoneyAmount
        BigDecimal balance) {

    BigDecimal openingBalance() {
        return balance == null ? BigDecimal.ZERO : balance;
    }
}
