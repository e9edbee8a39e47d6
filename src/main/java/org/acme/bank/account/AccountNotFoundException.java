package org.acme.bank.account;

import org.acme.bank.BankException;

public class AccountNotFoundException extends BankException {

    public AccountNotFoundException(long accountId) {
        super("There is no account " + accountId);
    }
}
