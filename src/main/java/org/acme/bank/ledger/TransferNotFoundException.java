package org.acme.bank.ledger;

import org.acme.bank.BankException;

public class TransferNotFoundException extends BankException {

    public TransferNotFoundException(long transferId) {
        super("There is no transfer " + transferId);
    }
}
