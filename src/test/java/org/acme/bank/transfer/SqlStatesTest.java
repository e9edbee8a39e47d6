package org.acme.bank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.util.Optional;

import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;

import org.hibernate.StaleObjectStateException;
import org.junit.jupiter.api.Test;

class SqlStatesTest {

    @Test
    void aDeadlockIsADeadlockWhateverWrapsIt() {
        // PostgreSQL deadlocks can reach us inside an OptimisticLockException: the SQLSTATE decides.
        Throwable failure = new OptimisticLockException(new PersistenceException(new SQLException("boom", "40P01")));

        assertEquals(Optional.of(ConflictKind.DEADLOCK), SqlStates.conflictKind(failure));
        assertEquals(Optional.of("40P01"), SqlStates.of(failure));
    }

    @Test
    void serializationFailureAndLockTimeoutAreRecognised() {
        assertEquals(Optional.of(ConflictKind.SERIALIZATION_FAILURE),
                SqlStates.conflictKind(new RuntimeException(new SQLException("x", "40001"))));
        assertEquals(Optional.of(ConflictKind.LOCK_TIMEOUT),
                SqlStates.conflictKind(new RuntimeException(new SQLException("x", "55P03"))));
    }

    @Test
    void aFailedVersionCheckFoundAtCommitIsAVersionConflict() {
        RollbackException atCommit = new RollbackException("rolled back");
        atCommit.initCause(new OptimisticLockException(new StaleObjectStateException("Account", 1L)));

        assertEquals(Optional.of(ConflictKind.VERSION_CONFLICT),
                SqlStates.conflictKind(new IllegalStateException(atCommit)));
    }

    @Test
    void otherDatabaseErrorsAreNotConflicts() {
        Throwable checkViolation = new OptimisticLockException(new SQLException("check", "23514"));

        assertEquals(Optional.empty(), SqlStates.conflictKind(checkViolation));
        assertEquals(Optional.empty(), SqlStates.conflictKind(new IllegalStateException("no SQL here")));
    }

    @Test
    void theFirstSqlStateInTheChainCounts() {
        SQLException outer = new SQLException("batch failed", null, new SQLException("inner", "40P01"));

        assertEquals(Optional.of("40P01"), SqlStates.of(new RuntimeException(outer)));
    }
}
