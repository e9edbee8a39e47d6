package org.acme.bank.transfer;

import java.util.concurrent.CompletionException;

import org.acme.bank.BankException;
import org.acme.bank.SqlStates;

/** Turns what the database and Hibernate throw into what a client should hear. */
public final class TransferFailures {

    private TransferFailures() {
    }

    /**
     * The {@link BankException} inside the failure, or a 409 conflict for a deadlock, lock timeout or serialization
     * failure (by SQLSTATE); anything else unchanged.
     */
    public static RuntimeException asBankException(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BankException bankException) {
                return bankException;
            }
        }
        return ConflictKind.of(failure)
                .<RuntimeException>map(kind -> new ConcurrencyConflictException(kind, describe(kind),
                        SqlStates.of(failure).orElse(null)))
                .orElse(failure);
    }

    /** What failed an asynchronous stage: the failure itself, out of the {@link CompletionException}s around it. */
    public static RuntimeException unwrapped(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    /** Whether the failure is a row lock (or a key) that stayed taken for longer than the lock timeout. */
    public static boolean isLockTimeout(RuntimeException failure) {
        return ConflictKind.of(failure).filter(ConflictKind.LOCK_TIMEOUT::equals).isPresent();
    }

    private static String describe(ConflictKind kind) {
        return switch (kind) {
            case DEADLOCK -> "The database detected a deadlock and aborted this transfer";
            case SERIALIZATION_FAILURE -> "The database could not serialize this transfer with a concurrent one";
            case LOCK_TIMEOUT -> "An account stayed locked by another transaction for longer than the lock timeout";
            case VERSION_CONFLICT -> "An account changed while this transfer was being prepared";
            case RETRIES_EXHAUSTED -> "The transfer lost every attempt to a concurrent one";
        };
    }
}
