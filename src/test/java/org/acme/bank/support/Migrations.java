package org.acme.bank.support;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;

/** For tests of one migration: the schema migrated up to a version, and rows read as text. */
public final class Migrations {

    private Migrations() {
    }

    /** Migrates the database up to and including {@code version}, as the owner of the schema. */
    public static void migrate(String url, String version) {
        Flyway.configure().dataSource(url, "postgres", "postgres").target(version)
                .placeholders(Map.of("service_role", "")).load().migrate();
    }

    /** The first column of every row the query answers, as text. */
    public static List<String> rows(Statement statement, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
