package org.acme.bank.transfer;

import org.acme.bank.ledger.Transfer;

/** The transfer a request produced, or, for a repeated idempotency key, the one it had produced before. */
public record TransferResult(Transfer transfer, boolean replayed) {
}
