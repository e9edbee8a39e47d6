package org.acme.bank.transfer;

import org.acme.bank.BankException;

/** The transfer lost a race it could not win; nothing was written and the client may try again. */
public class ConcurrencyConflictException extends BankException {

    private final ConflictKind kind;
    private final String sqlState;

    public ConcurrencyConflictException(ConflictKind kind, String message, String sqlState) {
        super(message);
        this.kind = kind;
        this.sqlState = sqlState;
    }

    public ConflictKind kind() {
        return kind;
    }

    /** The SQLSTATE PostgreSQL answered, or null where the conflict involved none (a version check). */
    public String sqlState() {
        return sqlState;
    }
}
