package org.acme.bank.hold;

import java.math.BigDecimal;

import org.acme.bank.BankException;
import org.acme.bank.Money;

/** A posting asked for more than the hold reserved. */
public class HoldAmountExceededException extends BankException {

    public HoldAmountExceededException(long holdId, BigDecimal held, BigDecimal asked) {
        super("Hold " + holdId + " reserves " + Money.of(held).toPlainString() + ", less than the "
                + Money.of(asked).toPlainString() + " asked for");
    }
}
