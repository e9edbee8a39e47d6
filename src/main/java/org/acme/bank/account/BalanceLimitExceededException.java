package org.acme.bank.account;

import org.acme.bank.BankException;
import org.acme.bank.Money;

public class BalanceLimitExceededException extends BankException {

    public BalanceLimitExceededException(Long accountId) {
        super("The transfer would take account " + accountId + " to " + Money.LIMIT.toPlainString() + " or more");
    }
}
