package org.acme.bank.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * A trigger that fails updates of one owner's accounts with a SQLSTATE, as PostgreSQL itself raises it in rare
 * conditions: every update, or only the first ones (a sequence counts them, outside any transaction, so a retry sees
 * the count go on). Closing it drops the trigger.
 */
public final class FailingUpdates implements AutoCloseable {

    private final DataSource dataSource;
    private final String name;

    private FailingUpdates(DataSource dataSource, String name) {
        this.dataSource = dataSource;
        this.name = name;
    }

    /** Every update of the owner's accounts fails. */
    public static FailingUpdates every(DataSource dataSource, String owner, String sqlState, String message)
            throws SQLException {
        return first(dataSource, owner, sqlState, message, Integer.MAX_VALUE);
    }

    /** The first {@code failures} updates of the owner's accounts fail, then updates succeed. */
    public static FailingUpdates first(DataSource dataSource, String owner, String sqlState, String message,
            int failures) throws SQLException {
        FailingUpdates failing = new FailingUpdates(dataSource, "failing_updates_" + sqlState.toLowerCase());
        failing.execute("create sequence " + failing.name);
        failing.execute("""
                create function %1$s() returns trigger language plpgsql as $$
                begin
                    if nextval('%1$s') <= %2$d then
                        raise exception '%3$s' using errcode = '%4$s';
                    end if;
                    return new;
                end;
                $$""".formatted(failing.name, failures, message, sqlState));
        failing.execute("create trigger " + failing.name + " before update on account for each row when (old.owner = '"
                + owner + "') execute function " + failing.name + "()");
        return failing;
    }

    @Override
    public void close() throws SQLException {
        execute("drop trigger if exists " + name + " on account");
        execute("drop function if exists " + name + "()");
        execute("drop sequence if exists " + name);
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
