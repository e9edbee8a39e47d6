package org.acme.bank.transfer;

import org.acme.bank.BankException;

public class UnknownStrategyException extends BankException {

    public UnknownStrategyException(String name) {
        this(name, "There is no transfer strategy '" + name + "' here");
    }

    private UnknownStrategyException(String name, String message) {
        super(message);
    }

    /** A strategy that does not place holds: the batched writer's members are transfers and transactions only. */
    public static UnknownStrategyException forHolds(String name) {
        return new UnknownStrategyException(name, "Holds are placed with pessimistic or optimistic (or naive where it "
                + "is on), not '" + name + "'");
    }
}
