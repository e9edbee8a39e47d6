package org.acme.bank.transfer;

import org.acme.bank.BankException;

public class UnknownStrategyException extends BankException {

    public UnknownStrategyException(String name) {
        super("There is no transfer strategy '" + name + "' here");
    }
}
