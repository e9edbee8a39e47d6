package org.acme.bank.transfer;

import org.acme.bank.BankException;

/** The key already stands for a different transfer (other accounts, amount or strategy). */
public class IdempotencyKeyReusedException extends BankException {

    public IdempotencyKeyReusedException(long transferId) {
        super("This Idempotency-Key was used for transfer " + transferId + ", which differs from this request");
    }
}
