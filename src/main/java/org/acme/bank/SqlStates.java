package org.acme.bank;

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
    public static final String UNIQUE_VIOLATION = "23505";
    /** Class 08: the connection failed or was never made. */
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    /** Class 57P: the server is shutting down, crashed, or cannot accept connections yet. */
    private static final String OPERATOR_INTERVENTION_SHUTDOWN = "57P";

    private SqlStates() {
    }

    /** The SQLSTATE of the first {@link SQLException} in the chain that carries one. */
    public static Optional<String> of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    /** A failed {@code @Version} check: no SQL error at all, the UPDATE simply matched no row. */
    public static boolean isVersionConflict(Throwable failure) {
        return of(failure).isEmpty() && inChain(failure, OptimisticLockException.class, StaleStateException.class);
    }

    /**
     * The database could not be reached: the connection broke or the server is shutting down, or a
     * {@link SQLException} came without any SQLSTATE, which PostgreSQL's driver always sets, so it came from the
     * connection pool (no connection became free within its acquisition timeout).
     */
    public static boolean isDatabaseUnavailable(Throwable failure) {
        Optional<String> sqlState = of(failure);
        if (sqlState.isPresent()) {
            return sqlState.get().startsWith(CONNECTION_EXCEPTION_CLASS)
                    || sqlState.get().startsWith(OPERATOR_INTERVENTION_SHUTDOWN);
        }
        return inChain(failure, SQLException.class);
    }

    @SafeVarargs
    private static boolean inChain(Throwable failure, Class<? extends Throwable>... types) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(cause)) {
                    return true;
                }
            }
        }
        return false;
    }
}
