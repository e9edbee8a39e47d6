package org.acme.bank;

/** The caller is known, but the action is not theirs to take: a role they lack. */
public class ForbiddenActionException extends BankException {

    public ForbiddenActionException(String message) {
        super(message);
    }
}
