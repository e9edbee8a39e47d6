package org.acme.bank.ledger;

import java.math.BigDecimal;

/**
 * The books at one instant. {@code mismatchedAccounts} counts accounts whose balance differs from their opening
 * balance minus what the ledger says they sent plus what it says they received.
 */
public record Audit(long accounts, long transfers, BigDecimal total, long negativeBalances, long mismatchedAccounts) {
}
