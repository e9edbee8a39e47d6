package org.acme.bank.transfer;

/**
 * The COMMIT of a transfer got no answer and the ledger could not be asked afterwards: the transfer with this id may or
 * may not have happened. Retrying with the same Idempotency-Key, or reading the transfer by id, tells which.
 */
public class TransferOutcomeUnknownException extends RuntimeException {

    private final long transferId;

    public TransferOutcomeUnknownException(long transferId, Throwable cause) {
        super("The database stopped answering while transfer " + transferId
                + " was being committed; it may or may not have happened", cause);
        this.transferId = transferId;
    }

    public long transferId() {
        return transferId;
    }
}
