package org.acme.bank.transfer;

import org.acme.bank.BankException;

/**
 * The key already stands for a different request: another transfer (other accounts, amount or strategy), a transaction
 * (named by its id) where this is a transfer, or the other way round.
 */
public class IdempotencyKeyReusedException extends BankException {

    public IdempotencyKeyReusedException(long transferId) {
        this("This Idempotency-Key was used for transfer " + transferId + " (or the transaction of that id), which "
                + "differs from this request");
    }

    private IdempotencyKeyReusedException(String message) {
        super(message);
    }

    /** The key already stands for an operation on a hold (its placing, posting or voiding) other than this one. */
    public static IdempotencyKeyReusedException onHold(String operation, long holdId) {
        return new IdempotencyKeyReusedException("This Idempotency-Key was used to " + operation + " hold " + holdId
                + ", which differs from this request");
    }
}
