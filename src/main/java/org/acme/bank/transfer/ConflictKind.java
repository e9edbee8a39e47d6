package org.acme.bank.transfer;

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
    RETRIES_EXHAUSTED
}
