package org.acme.bank.transfer;

import org.acme.bank.BankException;

/** The transfer lost a race it could not win; nothing was written and the client may try again. */
public class ConcurrencyConflictException extends BankException {

    private final ConflictKind kind;

    public ConcurrencyConflictException(ConflictKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ConflictKind kind() {
        return kind;
    }
}
