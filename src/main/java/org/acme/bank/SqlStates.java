package org.acme.bank;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;

/**
 * Reads what really went wrong from an exception's cause chain. PostgreSQL's SQLSTATE is the truth: a deadlock can
 * arrive wrapped in whichever exception class Hibernate chose, so the wrappers are never trusted. Suppressed exceptions
 * are part of the chain: a failed COMMIT reaches us as the transaction manager's RollbackException with the driver's
 * error only attached as suppressed.
 */
public final class SqlStates {

    public static final String DEADLOCK_DETECTED = "40P01";
    public static final String SERIALIZATION_FAILURE = "40001";
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    /** Class 08: the connection failed or was never made. */
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    /** Class 57P: the server is shutting down, crashed, or cannot accept connections yet. */
    private static final String OPERATOR_INTERVENTION_SHUTDOWN = "57P";
    /** A statement_timeout ran out, or an operator cancelled the statement ({@code pg_cancel_backend}). */
    public static final String QUERY_CANCELED = "57014";
    /** Class 53: the server is out of a resource, such as connections ({@code 53300}), memory or disk. */
    private static final String INSUFFICIENT_RESOURCES_CLASS = "53";
    /**
     * PostgreSQL failed the statement with an internal error, such as its safety check "new multixact has more than
     * one updating member" under concurrent updates and foreign-key locks (docs/operations.md names the affected
     * releases). The statement failed, so its transaction rolls back: nothing was written.
     */
    public static final String INTERNAL_ERROR = "XX000";

    private SqlStates() {
    }

    /** The SQLSTATE of the first {@link SQLException} in the chain that carries one. */
    public static Optional<String> of(Throwable failure) {
        return chain(failure)
                .filter(SQLException.class::isInstance)
                .map(sql -> ((SQLException) sql).getSQLState())
                .filter(Objects::nonNull)
                .findFirst();
    }

    /** A failed {@code @Version} check: no SQL error at all, the UPDATE simply matched no row. */
    public static boolean isVersionConflict(Throwable failure) {
        return of(failure).isEmpty() && inChain(failure, OptimisticLockException.class, StaleStateException.class);
    }

    /** PostgreSQL's internal error (XX000): see {@link #INTERNAL_ERROR}. */
    public static boolean isInternalError(Throwable failure) {
        return of(failure).filter(INTERNAL_ERROR::equals).isPresent();
    }

    /**
     * The database could not serve the request, through nobody's fault in it: the connection broke, the server is
     * shutting down or out of resources (too many connections), the statement was cancelled or timed out, or failed
     * with an internal error ({@link #INTERNAL_ERROR}); or a
     * {@link SQLException} came without any SQLSTATE, which PostgreSQL's driver always sets, so it came from the
     * connection pool (no connection became free within its acquisition timeout). The transaction did not commit.
     */
    public static boolean isDatabaseUnavailable(Throwable failure) {
        Optional<String> sqlState = of(failure);
        if (sqlState.isPresent()) {
            return sqlState.get().startsWith(CONNECTION_EXCEPTION_CLASS)
                    || sqlState.get().startsWith(OPERATOR_INTERVENTION_SHUTDOWN)
                    || sqlState.get().startsWith(INSUFFICIENT_RESOURCES_CLASS)
                    || sqlState.get().equals(QUERY_CANCELED)
                    || sqlState.get().equals(INTERNAL_ERROR);
        }
        return inChain(failure, SQLException.class);
    }

    @SafeVarargs
    private static boolean inChain(Throwable failure, Class<? extends Throwable>... types) {
        return chain(failure).anyMatch(cause -> Stream.of(types).anyMatch(type -> type.isInstance(cause)));
    }

    /** The failure, then each cause, each cause's suppressed exceptions and their causes; every one once. */
    private static Stream<Throwable> chain(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        pending.add(failure);
        Stream.Builder<Throwable> chain = Stream.builder();
        while (!pending.isEmpty()) {
            Throwable next = pending.removeFirst();
            if (seen.add(next)) {
                chain.add(next);
                if (next.getCause() != null) {
                    pending.addFirst(next.getCause());
                }
                pending.addAll(List.of(next.getSuppressed()));
            }
        }
        return chain.build();
    }
}
