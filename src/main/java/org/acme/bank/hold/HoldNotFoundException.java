package org.acme.bank.hold;

import org.acme.bank.BankException;

/** No such hold, or one the caller is not a party to: the same answer, so that existence does not leak. */
public class HoldNotFoundException extends BankException {

    public HoldNotFoundException(long holdId) {
        super("There is no hold " + holdId);
    }
}
