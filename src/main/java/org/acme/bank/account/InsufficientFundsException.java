package org.acme.bank.account;

import java.math.BigDecimal;

import org.acme.bank.BankException;

public class InsufficientFundsException extends BankException {

    public InsufficientFundsException(Long accountId, BigDecimal balance, BigDecimal amount) {
        super("Account " + accountId + " has " + balance.toPlainString() + ", less than the " + amount.toPlainString()
                + " to transfer");
    }
}
