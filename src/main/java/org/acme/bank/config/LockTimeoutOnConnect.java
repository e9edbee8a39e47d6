package org.acme.bank.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.agroal.api.AgroalPoolInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Bounds every row-lock wait on the connection itself, once when the pool opens it, so no transaction spends a round
 * trip setting it. The value goes to PostgreSQL in milliseconds, whatever notation the setting was written in
 * ({@code 5} means 5 s to Quarkus but 5 ms to PostgreSQL, which reads {@code 1m} not at all). Behind a transaction
 * pooler ({@code bank.datasource.transaction-pooling}) the role's default does it instead
 * ({@link TransactionPoolingCheck}).
 */
@ApplicationScoped
public class LockTimeoutOnConnect implements AgroalPoolInterceptor {

    private final long lockTimeoutMillis;
    private final boolean transactionPooling;

    LockTimeoutOnConnect(BankConfig config) {
        this.lockTimeoutMillis = config.transfer().lockTimeout().toMillis();
        this.transactionPooling = config.datasource().transactionPooling();
    }

    @Override
    public void onConnectionCreate(Connection connection) {
        if (transactionPooling) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("set lock_timeout = " + lockTimeoutMillis);
        } catch (SQLException failure) {
            throw new IllegalStateException("Could not set lock_timeout on a new connection", failure);
        }
    }
}
