package org.acme.bank.transfer;

import java.sql.SQLException;
import java.util.Optional;

import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;

/**
 * Reads what really went wrong from an exception's cause chain. PostgreSQL's SQLSTATE is the truth: a deadlock can
 * arrive wrapped in whichever exception class Hibernate chose, so the wrappers are never trusted.
 */
public final class SqlStates {

    public static final String DEADLOCK_DETECTED = "40P01";
    public static final String SERIALIZATION_FAILURE = "40001";
    public static final String LOCK_NOT_AVAILABLE = "55P03";

    private SqlStates() {
    }

    /** The SQLSTATE of the first {@link SQLException} in the chain that carries one. */
    public static Optional<String> of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    /** The conflict this failure stands for, if it is one. */
    public static Optional<ConflictKind> conflictKind(Throwable failure) {
        Optional<String> sqlState = of(failure);
        if (sqlState.isPresent()) {
            return switch (sqlState.get()) {
                case DEADLOCK_DETECTED -> Optional.of(ConflictKind.DEADLOCK);
                case SERIALIZATION_FAILURE -> Optional.of(ConflictKind.SERIALIZATION_FAILURE);
                case LOCK_NOT_AVAILABLE -> Optional.of(ConflictKind.LOCK_TIMEOUT);
                default -> Optional.empty();
            };
        }
        // A failed @Version check involves no SQL error at all: the UPDATE simply matched no row.
        return isVersionConflict(failure) ? Optional.of(ConflictKind.VERSION_CONFLICT) : Optional.empty();
    }

    private static boolean isVersionConflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof OptimisticLockException || cause instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable next(Throwable cause) {
        Throwable next = cause.getCause();
        return next == cause ? null : next;
    }
}
