package org.acme.bank;

/** The caller is known, but the action is not theirs to take: a role they lack. */
public class ForbiddenActionException extends BankException {

    private final String caller;

    public ForbiddenActionException(String caller, String message) {
        super(message);
        this.caller = caller;
    }

    /** The subject refused. */
    public String caller() {
        return caller;
    }
}
