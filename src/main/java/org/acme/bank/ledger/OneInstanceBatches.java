package org.acme.bank.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Background work done in batches, each its own short transaction, so that a large backlog never becomes one long
 * transaction holding row locks; and by one instance at a time. Every batch first takes a transaction-scoped advisory
 * lock: an instance that finds it taken stops. A session lock would not do behind a transaction pooler (PgBouncer),
 * which may run the lock and its release on different server connections. Killed in the middle of a batch, the batch
 * rolls back whole.
 */
public final class OneInstanceBatches {

    /** One batch, in the open transaction of the connection: how many things it did. */
    @FunctionalInterface
    public interface Batch {
        int run(Connection connection) throws SQLException;
    }

    private OneInstanceBatches() {
    }

    /**
     * Runs batch after batch, each committed on its own, until one does less than {@code full}, or another instance
     * holds {@code advisoryLock}; answers how many things they did in all.
     */
    public static long run(DataSource dataSource, long advisoryLock, int full, Batch batch) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            connection.setAutoCommit(false);
            lock.setLong(1, advisoryLock);
            long done = 0;
            int did;
            do {
                if (!locked(lock)) {
                    connection.rollback();
                    return done;
                }
                did = batch.run(connection);
                connection.commit();
                done += did;
            } while (did == full);
            return done;
        }
    }

    private static boolean locked(PreparedStatement lock) throws SQLException {
        try (ResultSet result = lock.executeQuery()) {
            return result.next() && result.getBoolean(1);
        }
    }
}
