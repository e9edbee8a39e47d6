package org.acme.bank.transfer;

import org.acme.bank.BankException;

/** A leg of a transaction was refused, so none of its legs applied; {@link #refusal()} is what that leg got. */
public class LegRefusedException extends BankException {

    private final int leg;
    private final BankException refusal;

    public LegRefusedException(int leg, BankException refusal) {
        super("legs[" + leg + "]: " + refusal.getMessage() + "; no leg of the transaction was applied");
        this.leg = leg;
        this.refusal = refusal;
    }

    /** The refused leg's place in the request, from 0. */
    public int leg() {
        return leg;
    }

    public BankException refusal() {
        return refusal;
    }
}
