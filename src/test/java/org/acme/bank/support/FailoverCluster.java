package org.acme.bank.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A pg_auto_failover formation of this machine's Debian PostgreSQL 15: a monitor and two data nodes, replication
 * synchronous, started and torn down by {@code ha/cluster.sh} (which runs them as the {@code postgres} user, since
 * PostgreSQL refuses root). The tests reach the nodes as {@code postgres} over TCP, trusted on loopback.
 */
public final class FailoverCluster implements AutoCloseable {

    private static final Path SCRIPT = Path.of("ha/cluster.sh").toAbsolutePath();
    private static final long SCRIPT_LIMIT_SECONDS = 180;

    private final Path directory;
    private final int basePort;

    private FailoverCluster(Path directory, int basePort) {
        this.directory = directory;
        this.basePort = basePort;
    }

    /** Why a formation cannot be started here, if it cannot: what is missing. */
    public static Optional<String> missing() {
        if (!Files.isExecutable(Path.of("/usr/bin/pg_autoctl"))) {
            return Optional.of("no pg_autoctl (apt-get install postgresql-15-auto-failover; .ci/run does)");
        }
        if (!Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin/postgres"))) {
            return Optional.of("no PostgreSQL 15 server (apt-get install postgresql-15)");
        }
        return Optional.empty();
    }

    /** Starts a formation on three consecutive free ports and waits until node 1 is primary and node 2 its standby. */
    public static FailoverCluster start() throws IOException, InterruptedException {
        // Under /tmp, which the postgres user can reach whatever the clone's own folders allow.
        Path directory = Files.createTempDirectory(Path.of("/tmp"), "bank-failover-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int basePort = Ports.freeRun(3);
        FailoverCluster cluster = new FailoverCluster(directory, basePort);
        cluster.run("start", directory.toString(), Integer.toString(basePort));
        return cluster;
    }

    /** A JDBC URL that lists both data nodes and connects only to the one that is primary. */
    public String jdbcUrl(String applicationName) {
        return "jdbc:postgresql://127.0.0.1:" + (basePort + 1) + ",127.0.0.1:" + (basePort + 2)
                + "/postgres?targetServerType=primary&hostRecheckSeconds=1&connectTimeout=2&ApplicationName="
                + applicationName;
    }

    public Connection connectToPrimary() throws SQLException {
        return DriverManager.getConnection(jdbcUrl("bank-test"), "postgres", "");
    }

    /** The port of the node the monitor calls primary, once there is one (the script waits for it). */
    public int primaryPort() throws IOException, InterruptedException {
        return Integer.parseInt(run("primary", directory.toString()).strip());
    }

    /** SIGKILL to the primary's whole node, its pg_autoctl and its PostgreSQL, as if its machine were gone. */
    public void killPrimary() throws IOException, InterruptedException {
        kill("primary");
    }

    /** SIGKILL to a whole node: {@code node1}, {@code node2}, {@code primary}, {@code secondary} or {@code monitor}. */
    public void kill(String node) throws IOException, InterruptedException {
        run("kill", directory.toString(), node);
    }

    /** A planned switchover: the primary is demoted (its PostgreSQL restarted as the standby), the standby promoted. */
    public void switchover() throws IOException, InterruptedException {
        run("switchover", directory.toString());
    }

    /** Takes the standby out of the commit quorum: COMMITs no longer wait for it. */
    public void replicateAsynchronously() throws IOException, InterruptedException {
        run("async", directory.toString());
    }

    /** Starts whatever of the formation is down, and waits until it has a primary and a standby again. */
    public void restartWhatIsDown() throws IOException, InterruptedException {
        run("start", directory.toString(), Integer.toString(basePort));
    }

    /** The monitor's view of the formation, for reports. */
    public String state() throws IOException, InterruptedException {
        return run("state", directory.toString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("destroy", directory.toString());
    }

    private String run(String... arguments) throws IOException, InterruptedException {
        Path output = Files.createTempFile("bank-failover-script-", ".log");
        try {
            Process script = new ProcessBuilder(concat(SCRIPT.toString(), arguments))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!script.waitFor(SCRIPT_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                script.destroyForcibly();
                throw new IllegalStateException(String.join(" ", arguments) + " did not finish: "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (script.exitValue() != 0) {
                throw new IllegalStateException("ha/cluster.sh " + String.join(" ", arguments) + " failed ("
                        + script.exitValue() + "):\n" + printed);
            }
            return printed;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static List<String> concat(String first, String... rest) {
        return Stream.concat(Stream.of(first), Arrays.stream(rest)).toList();
    }
}
