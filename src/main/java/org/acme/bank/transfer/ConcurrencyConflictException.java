package org.acme.bank.transfer;

import org.acme.bank.BankException;

/** The transfer lost a race it could not win; nothing was written and the client may try again. */
public class ConcurrencyConflictException extends BankException {

    private final ConflictKind kind;
    private final String sqlState;
    private final int attempts;

    public ConcurrencyConflictException(ConflictKind kind, String message, String sqlState) {
        this(kind, message, sqlState, 1);
    }

    private ConcurrencyConflictException(ConflictKind kind, String message, String sqlState, int attempts) {
        super(message);
        this.kind = kind;
        this.sqlState = sqlState;
        this.attempts = attempts;
    }

    /** The same conflict, known to end a transfer that made this many attempts. */
    public ConcurrencyConflictException afterAttempts(int made) {
        return new ConcurrencyConflictException(kind, getMessage(), sqlState, made);
    }

    /** The last conflict of a transfer that lost every one of its {@code made} attempts. */
    public ConcurrencyConflictException exhausting(int made) {
        return new ConcurrencyConflictException(ConflictKind.RETRIES_EXHAUSTED,
                "The transfer lost all " + made + " attempts to concurrent transfers", sqlState, made);
    }

    public ConflictKind kind() {
        return kind;
    }

    /** The SQLSTATE PostgreSQL answered, or null where the conflict involved none (a version check). */
    public String sqlState() {
        return sqlState;
    }

    /** How many attempts the transfer made, this one included. */
    public int attempts() {
        return attempts;
    }
}
