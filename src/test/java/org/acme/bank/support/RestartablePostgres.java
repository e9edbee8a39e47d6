package org.acme.bank.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL that a test can stop and start again, on the same port and data directory, as an operator
 * would restart a real server. The fault tests own one each: they cannot stop a database that others share.
 */
public final class RestartablePostgres implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private final Map<String, String> serverConfig;
    private EmbeddedPostgres server;

    private RestartablePostgres(Path dataDirectory, int port, Map<String, String> serverConfig) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.serverConfig = serverConfig;
    }

    public static RestartablePostgres start() throws IOException {
        return start(Map.of());
    }

    /** With server settings of its own, beside a short deadlock_timeout. */
    public static RestartablePostgres start(Map<String, String> serverConfig) throws IOException {
        RestartablePostgres postgres =
                new RestartablePostgres(Files.createTempDirectory("bank-postgres-"), Ports.free(), serverConfig);
        postgres.startAgain();
        return postgres;
    }

    /** Starts the stopped server on its data directory: the data survives, the connections do not. */
    public void startAgain() throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("deadlock_timeout", "100ms");
        serverConfig.forEach(builder::setServerConfig);
        server = builder.start();
    }

    /** A fast shutdown, as {@code pg_ctl stop -m fast}: open transactions are rolled back, sessions ended. */
    public void stop() throws IOException {
        server.close();
        server = null;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String applicationName) {
        return "jdbc:postgresql://localhost:" + port + "/postgres?ApplicationName=" + applicationName;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl("bank-test"), "postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            stop();
        }
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
