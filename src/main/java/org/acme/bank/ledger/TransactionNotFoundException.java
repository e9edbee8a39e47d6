package org.acme.bank.ledger;

import org.acme.bank.BankException;

public class TransactionNotFoundException extends BankException {

    public TransactionNotFoundException(long transactionId) {
        super("There is no transaction " + transactionId);
    }
}
