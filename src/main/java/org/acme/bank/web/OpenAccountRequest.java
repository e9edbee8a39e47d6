package org.acme.bank.web;

import java.math.BigDecimal;

import jakarta.validation.constraints.PositiveOrZero;

import org.acme.bank.Caller;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /accounts}: the owner is optional (the caller when omitted), and so is the opening balance, which
 * defaults to zero.
 */
public record OpenAccountRequest(
        // The schema's pattern says what JavaScript and the OpenAPI tools can check alike (no control character, one
        // that is not a space); SubjectValue checks the rest (length in characters, surrogates, invisible characters).
        @Schema(description = "The holder's subject (the sub of their tokens); the caller's when omitted",
                example = "Alice", maxLength = Caller.MAX_SUBJECT_LENGTH,
                pattern = "^[^\\x00-\\x1F\\x7F-\\x9F]*[^\\x00-\\x20\\x7F-\\xA0][^\\x00-\\x1F\\x7F-\\x9F]*$")
        @SubjectValue
        String owner,
        @Schema(example = "1000.00") @PositiveOrZero @MoneyAmount
        BigDecimal balance) {

    BigDecimal openingBalance() {
        return balance == null ? BigDecimal.ZERO : balance;
    }
}
