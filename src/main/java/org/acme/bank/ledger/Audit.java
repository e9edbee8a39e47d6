package org.acme.bank.ledger;

import java.math.BigDecimal;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The books at one instant. Every count but {@code accounts}, {@code transfers} and {@code entriesChecked} is 0 when
 * the books are right.
 */
public record Audit(
        @Schema(description = "incremental: the entries made since each account's last verified checkpoint; full: "
                + "every entry", example = "incremental") String scope,
        @Schema(example = "5") long accounts,
        @Schema(example = "1042") long transfers,
        @Schema(description = "The sum of all balances: money enters only as opening balances", example = "5000.00")
        BigDecimal total,
        @Schema(example = "0") long negativeBalances,
        @Schema(description = "Accounts whose balance or entry count the ledger does not explain (full: nor their "
                + "opening balance minus what they sent plus what they received)", example = "0")
        long mismatchedAccounts,
        @Schema(description = "Ledger entries (each side of a transfer is one) whose running balance was checked",
                example = "84") long entriesChecked,
        @Schema(description = "Entries whose number does not follow the previous entry of their account, or whose "
                + "balance after is not the previous one plus the entry", example = "0") long brokenRunningBalances,
        @Schema(description = "Ledger rows written by plain SQL, without running balances: their accounts are "
                + "checked by balance alone (full) or not at all (incremental)", example = "0")
        long unsequencedEntries,
        @Schema(description = "Accounts whose held differs from the sum of their pending holds", example = "0")
        long heldMismatches,
        @Schema(description = "Accounts whose balance is less than their pending holds that have not expired",
                example = "0") long negativeAvailable) {
}
