package org.acme.bank;

/** A rule of the bank said no. The web layer maps each kind to its HTTP answer; no subclass knows HTTP. */
public abstract class BankException extends RuntimeException {

    protected BankException(String message) {
        super(message, null, false, false);
    }
}
