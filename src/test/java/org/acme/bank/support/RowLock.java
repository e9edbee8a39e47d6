package org.acme.bank.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * An account row locked by a session of the test's own, outside the service, to hold transfers at a known point:
 * they queue behind it until it is released. Also finds the service's backends that wait for a lock.
 */
public final class RowLock implements AutoCloseable {

    private final Connection holder;

    private RowLock(Connection holder) {
        this.holder = holder;
    }

    /**
     * Locks the account as a transfer does ({@code FOR NO KEY UPDATE}, which leaves the key share that a ledger row's
     * foreign key takes free), until {@link #release} or {@link #close}.
     */
    public static RowLock on(DataSource dataSource, long accountId) throws SQLException {
        return on(dataSource, accountId, "select id from account where id = ? for no key update");
    }

    /**
     * Locks the account by changing its version, as a concurrent transfer that commits on {@link #release} would: an
     * optimistic transfer that read the old version then loses its {@code @Version} check.
     */
    public static RowLock changingVersion(DataSource dataSource, long accountId) throws SQLException {
        return on(dataSource, accountId, "update account set version = version + 1 where id = ?");
    }

    private static RowLock on(DataSource dataSource, long accountId, String sql) throws SQLException {
        Connection holder = dataSource.getConnection();
        holder.setAutoCommit(false);
        try (PreparedStatement lock = holder.prepareStatement(sql)) {
            lock.setLong(1, accountId);
            lock.execute();
        }
        return new RowLock(holder);
    }

    /** Commits whatever the lock changed, which lets the waiters go on. */
    public void release() throws SQLException {
        if (!holder.isClosed()) {
            holder.commit();
            holder.close();
        }
    }

    @Override
    public void close() throws SQLException {
        if (!holder.isClosed()) {
            holder.rollback();
            holder.close();
        }
    }

    /** Whether another transaction holds a row lock on the account: a lock attempt that does not wait is refused. */
    public static boolean isHeld(DataSource dataSource, long accountId) throws SQLException {
        try (Connection probe = dataSource.getConnection()) {
            probe.setAutoCommit(false);
            try (PreparedStatement lock = probe.prepareStatement(
                    "select id from account where id = ? for no key update nowait")) {
                lock.setLong(1, accountId);
                lock.executeQuery().close();
                return false;
            } catch (SQLException refused) {
                if ("55P03".equals(refused.getSQLState())) {
                    return true;
                }
                throw refused;
            } finally {
                probe.rollback();
            }
        }
    }

    /**
     * Waits until exactly {@code count} backends of this database wait for a lock (transfers queued behind a lock), and
     * returns their process ids in the order they started waiting.
     */
    public static List<Integer> awaitWaiters(DataSource dataSource, int count) throws Exception {
        List<Integer> waiting = List.of();
        for (int poll = 0; poll < 300; poll++) {
            waiting = waiters(dataSource);
            if (waiting.size() == count) {
                return waiting;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("expected " + count + " transfers waiting for a lock, found " + waiting.size());
    }

    private static List<Integer> waiters(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select pid from pg_stat_activity
                         where datname = current_database() and wait_event_type = 'Lock'
                         order by query_start, pid
                        """);
                ResultSet rows = query.executeQuery()) {
            List<Integer> pids = new ArrayList<>();
            while (rows.next()) {
                pids.add(rows.getInt(1));
            }
            return pids;
        }
    }
}
