package org.acme.bank.account;

import java.math.BigDecimal;

import org.acme.bank.BankException;

public class InsufficientFundsException extends BankException {

    public InsufficientFundsException(Long accountId, BigDecimal available, BigDecimal amount) {
        super("Account " + accountId + " has " + available.toPlainString() + " available, less than the "
                + amount.toPlainString() + " asked for");
    }
}
