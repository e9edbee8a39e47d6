package org.acme.bank.hold;

import java.math.BigDecimal;

import org.acme.bank.BankException;
import org.acme.bank.Money;

/** A posting asked for more than the hold reserved. */
public class HoldAmountExceededException extends BankException {

    public HoldAmountExceededException(long holdId, BigDecimal held, BigDecimal asked) {
        super("Hold " + holdId + " reserves " + shown(held) + ", less than the " + shown(asked) + " asked for");
    }

    /** With at least the two decimals of money: 31 as 31.00. */
    private static String shown(BigDecimal amount) {
        return amount.setScale(Math.max(Money.SCALE, amount.scale())).toPlainString();
    }
}
