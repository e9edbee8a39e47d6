package org.acme.bank.transfer;

/**
 * The transfer may or may not have happened: its COMMIT got no answer and the ledger could not tell in time, or the
 * service failed after the COMMIT was sent. Repeating the request with the same Idempotency-Key, or reading the
 * transfer by id when there is one, tells which.
 */
public class TransferOutcomeUnknownException extends RuntimeException {

    private final Long transferId;
    private final String why;

    /** {@code transferId} is the ledger row the transfer would have, or null where it is not known. */
    public TransferOutcomeUnknownException(Long transferId, String why, Throwable cause) {
        super(why + (transferId == null ? "" : " (transfer " + transferId + ")")
                + "; it may or may not have happened", cause);
        this.transferId = transferId;
        this.why = why;
    }

    /** The same unknown outcome, for one transfer of the transaction it concerns. */
    public TransferOutcomeUnknownException naming(long transfer) {
        return new TransferOutcomeUnknownException(transfer, why, getCause());
    }

    /** The same unknown outcome, said of what else the request would have made (such as "hold 17"), for its reader. */
    public TransferOutcomeUnknownException concerning(String made) {
        TransferOutcomeUnknownException said =
                new TransferOutcomeUnknownException(transferId, why + " (" + made + ")", getCause());
        said.setStackTrace(getStackTrace());
        for (Throwable suppressed : getSuppressed()) {
            said.addSuppressed(suppressed);
        }
        return said;
    }

    /** The ledger row the transfer would have, or null. */
    public Long transferId() {
        return transferId;
    }
}
