package org.acme.bank.transfer;

import org.acme.bank.BankException;

/** The batched strategy's queue is full, or the request waited too long in it: nothing was done, try again later. */
public class TransferQueueFullException extends BankException {

    public TransferQueueFullException(String message) {
        super(message);
    }
}
