package org.acme.bank.hold;

import java.math.BigDecimal;

import org.acme.bank.BankException;

/** A posting asked for more than the hold reserved. */
public class HoldAmountExceededException extends BankException {

    public HoldAmountExceededException(long holdId, BigDecimal held, BigDecimal asked) {
        super("Hold " + holdId + " reserves " + held.toPlainString() + ", less than the " + asked.toPlainString()
                + " asked for");
    }
}
