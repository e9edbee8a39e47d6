package org.acme.bank.config;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * Behind a transaction pooler ({@code bank.datasource.transaction-pooling}), refuses to start unless every server
 * session already has the lock timeout the service expects: the database role's default, set once by whoever deploys
 * it. Without it, a transfer's lock wait could go unbounded on whichever server connection the pooler lends.
 */
@Startup
@Singleton
class TransactionPoolingCheck {

    TransactionPoolingCheck(BankConfig config, DataSource dataSource) throws SQLException {
        if (!config.datasource().transactionPooling()) {
            return;
        }
        long expected = config.transfer().lockTimeout().toMillis();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet session = statement.executeQuery("select setting::bigint, current_user, current_database()"
                        + " from pg_settings where name = 'lock_timeout'")) {
            session.next();
            if (session.getLong(1) != expected) {
                throw new IllegalStateException(String.format("bank.datasource.transaction-pooling is on, so the lock "
                        + "timeout must be the database role's default, but a session has %d ms where "
                        + "bank.transfer.lock-timeout is %d ms: run ALTER ROLE \"%s\" IN DATABASE \"%s\" SET "
                        + "lock_timeout = '%dms' (docs/operations.md, \"Many instances through PgBouncer\")",
                        session.getLong(1), expected, session.getString(2), session.getString(3), expected));
            }
        }
    }
}
