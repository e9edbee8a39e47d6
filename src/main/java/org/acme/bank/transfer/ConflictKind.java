package org.acme.bank.transfer;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.acme.bank.SqlStates;

/** Why concurrent transactions got in each other's way. */
public enum ConflictKind {
    /** Another transaction changed an account between our read and our write ({@code @Version}). */
    VERSION_CONFLICT,
    /** PostgreSQL broke a lock cycle by aborting us (SQLSTATE 40P01). */
    DEADLOCK,
    /** PostgreSQL could not serialize us (SQLSTATE 40001). */
    SERIALIZATION_FAILURE,
    /** A row lock was not granted within the lock timeout (SQLSTATE 55P03). */
    LOCK_TIMEOUT,
    /** The optimistic strategy lost every one of its attempts. */
    RETRIES_EXHAUSTED;

    /**
     * What a transaction that waits for row locks can meet: a lock held past the timeout, a cycle PostgreSQL breaks (one
     * the lock order cannot rule out, such as a trigger's), a serialization failure under a stricter isolation level.
     */
    public static final Set<ConflictKind> ROW_LOCKING = Collections.unmodifiableSet(
            EnumSet.of(LOCK_TIMEOUT, DEADLOCK, SERIALIZATION_FAILURE));

    /** The conflict a failure stands for, if it is one. */
    public static Optional<ConflictKind> of(Throwable failure) {
        Optional<String> sqlState = SqlStates.of(failure);
        if (sqlState.isPresent()) {
            return switch (sqlState.get()) {
                case SqlStates.DEADLOCK_DETECTED -> Optional.of(DEADLOCK);
                case SqlStates.SERIALIZATION_FAILURE -> Optional.of(SERIALIZATION_FAILURE);
                case SqlStates.LOCK_NOT_AVAILABLE -> Optional.of(LOCK_TIMEOUT);
                default -> Optional.empty();
            };
        }
        return SqlStates.isVersionConflict(failure) ? Optional.of(VERSION_CONFLICT) : Optional.empty();
    }
}
