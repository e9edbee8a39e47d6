package org.acme.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.Optional;

import javax.transaction.xa.XAException;

import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;

import org.acme.bank.transfer.ConflictKind;
import org.hibernate.StaleObjectStateException;
import org.junit.jupiter.api.Test;

class SqlStatesTest {

    @Test
    void aDeadlockIsADeadlockWhateverWrapsIt() {
        // PostgreSQL deadlocks can reach us inside an OptimisticLockException: the SQLSTATE decides.
        Throwable failure = new OptimisticLockException(new PersistenceException(new SQLException("boom", "40P01")));

        assertEquals(Optional.of("40P01"), SqlStates.of(failure));
        assertFalse(SqlStates.isVersionConflict(failure));
        assertEquals(Optional.of(ConflictKind.DEADLOCK), ConflictKind.of(failure));
    }

    @Test
    void serializationFailureAndLockTimeoutAreRecognised() {
        assertEquals(Optional.of(ConflictKind.SERIALIZATION_FAILURE),
                ConflictKind.of(new RuntimeException(new SQLException("x", "40001"))));
        assertEquals(Optional.of(ConflictKind.LOCK_TIMEOUT),
                ConflictKind.of(new RuntimeException(new SQLException("x", "55P03"))));
    }

    @Test
    void aFailedVersionCheckFoundAtCommitIsAVersionConflict() {
        RollbackException atCommit = new RollbackException("rolled back");
        atCommit.initCause(new OptimisticLockException(new StaleObjectStateException("Account", 1L)));
        IllegalStateException failure = new IllegalStateException(atCommit);

        assertTrue(SqlStates.isVersionConflict(failure));
        assertEquals(Optional.of(ConflictKind.VERSION_CONFLICT), ConflictKind.of(failure));
    }

    @Test
    void otherDatabaseErrorsAreNeitherConflictsNorUnavailability() {
        Throwable checkViolation = new OptimisticLockException(new SQLException("check", "23514"));

        assertEquals(Optional.empty(), ConflictKind.of(checkViolation));
        assertFalse(SqlStates.isDatabaseUnavailable(checkViolation));
        assertEquals(Optional.empty(), ConflictKind.of(new IllegalStateException("no SQL here")));
        assertFalse(SqlStates.isDatabaseUnavailable(new IllegalStateException("no SQL here")));
    }

    @Test
    void lostConnectionsShutdownsAndAnEmptyPoolAreUnavailability() {
        assertTrue(SqlStates.isDatabaseUnavailable(new PersistenceException(new SQLException("io", "08006"))));
        assertTrue(SqlStates.isDatabaseUnavailable(new PersistenceException(new SQLException("bye", "57P01"))));
        // Too many connections (pool size times instances over max_connections), and the rest of class 53.
        assertTrue(SqlStates.isDatabaseUnavailable(new PersistenceException(new SQLException("too many", "53300"))));
        assertTrue(SqlStates.isDatabaseUnavailable(new PersistenceException(new SQLException("disk full", "53100"))));
        // A statement_timeout set on a role or database, or pg_cancel_backend.
        assertTrue(SqlStates.isDatabaseUnavailable(new PersistenceException(new SQLException("cancelled", "57014"))));
        // The pool's acquisition timeout carries no SQLSTATE at all.
        assertTrue(SqlStates.isDatabaseUnavailable(new PersistenceException(new SQLException("no connection"))));
    }

    @Test
    void theFirstSqlStateInTheChainCounts() {
        SQLException outer = new SQLException("batch failed", null, new SQLException("inner", "40P01"));

        assertEquals(Optional.of("40P01"), SqlStates.of(new RuntimeException(outer)));
    }

    @Test
    void aCommitThatLostItsConnectionIsFoundAmongSuppressedExceptions() {
        // What Narayana throws when the driver's COMMIT fails: the SQL error is only attached as suppressed.
        RollbackException commitFailed = new RollbackException("ARJUNA016053: Could not commit transaction.");
        XAException resourceFailed = new XAException("Error trying to transactionCommit local transaction");
        resourceFailed.initCause(new SQLException("terminating connection due to administrator command", "57P01"));
        commitFailed.addSuppressed(resourceFailed);

        assertEquals(Optional.of("57P01"), SqlStates.of(new IllegalStateException(commitFailed)));
        assertTrue(SqlStates.isDatabaseUnavailable(new IllegalStateException(commitFailed)));
    }
}
