package org.acme.bank.transfer;

import java.util.List;

import org.acme.bank.ledger.Transfer;

/**
 * The ledger rows a request produced, one per leg (a transfer has one), or, for a repeated idempotency key, those it
 * had produced before.
 */
public record TransferResult(List<Transfer> transfers, boolean replayed) {

    public TransferResult {
        transfers = List.copyOf(transfers);
    }

    /** The row of a single transfer; for a transaction, its first leg, whose id is the transaction's. */
    public Transfer transfer() {
        return transfers.get(0);
    }
}
