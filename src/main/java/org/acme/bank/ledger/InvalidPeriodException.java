package org.acme.bank.ledger;

import org.acme.bank.BankException;

/**
 * An instant or period an account has no answer for: before it was opened, in the future, or ending before it starts.
 */
public class InvalidPeriodException extends BankException {

    private final String field;

    public InvalidPeriodException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The query parameter it concerns. */
    public String field() {
        return field;
    }
}
