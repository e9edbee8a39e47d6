package org.acme.bank.transfer;

import org.acme.bank.BankException;

/**
 * Another request under the same idempotency key is still running (its transaction holds the key), or kept winning
 * the key from this one: this request changed nothing, and its repeat under the same key will be answered by
 * whatever the other one becomes.
 */
public class IdempotencyKeyInProgressException extends BankException {

    public IdempotencyKeyInProgressException(String key) {
        super("Another request under the idempotency key " + key + " is still in progress; nothing was done by this "
                + "one. Repeat it with the same key after Retry-After");
    }
}
