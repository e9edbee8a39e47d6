package org.acme.bank.ledger;

import java.math.BigDecimal;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The books at one instant. {@code mismatchedAccounts} counts accounts whose balance differs from their opening
 * balance minus what the ledger says they sent plus what it says they received.
 */
public record Audit(
        @Schema(example = "5") long accounts,
        @Schema(example = "1042") long transfers,
        @Schema(example = "5000.00") BigDecimal total,
        @Schema(example = "0") long negativeBalances,
        @Schema(example = "0") long mismatchedAccounts) {
}
