package org.acme.bank.transfer;

import org.acme.bank.BankException;

/**
 * The request's idempotency key already stands for a committed transfer: the attempt stops before touching any
 * account, and {@link TransferService} answers with that transfer (or refuses the key for another request).
 */
public class IdempotencyKeyBoundException extends BankException {

    public IdempotencyKeyBoundException(String key) {
        super("The idempotency key " + key + " already stands for a transfer");
    }
}
