package org.acme.bank.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's PgBouncer in transaction mode in front of one PostgreSQL, with fewer server connections than the service's
 * pool, so that every transaction may run on another server connection than the one before. Run as {@code postgres}
 * when the tests run as root, since PgBouncer refuses root.
 */
public final class PgBouncer implements AutoCloseable {

    private static final Path PGBOUNCER = Path.of("/usr/sbin/pgbouncer");
    /** Server connections PgBouncer lends out: fewer than the service's pool of 20. */
    public static final int SERVER_CONNECTIONS = 4;

    private final Path directory;
    private final int port;
    private final List<String> command;

    private PgBouncer(Path directory, int port, List<String> command) {
        this.directory = directory;
        this.port = port;
        this.command = command;
    }

    /** Why PgBouncer cannot run here, if it cannot. */
    public static Optional<String> missing() {
        return Files.isExecutable(PGBOUNCER) ? Optional.empty()
                : Optional.of("no pgbouncer (apt-get install pgbouncer; .ci/run does)");
    }

    public static PgBouncer start(int serverPort, String user, String password)
            throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory(Path.of("/tmp"), "bank-pgbouncer-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int port = Ports.free();
        Files.writeString(directory.resolve("userlist.txt"), "\"" + user + "\" \"" + password + "\"\n");
        Files.writeString(directory.resolve("pgbouncer.ini"), String.join("\n",
                "[databases]",
                "* = host=127.0.0.1 port=" + serverPort,
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir = " + directory,
                "auth_type = trust",
                "auth_file = " + directory.resolve("userlist.txt"),
                "pool_mode = transaction",
                "default_pool_size = " + SERVER_CONNECTIONS,
                "reserve_pool_size = 0",
                "max_client_conn = 200",
                "logfile = " + directory.resolve("pgbouncer.log"),
                "pidfile = " + directory.resolve("pgbouncer.pid"),
                ""));
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            run(List.of("chown", "-R", "postgres", directory.toString()));
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(PGBOUNCER.toString(), "-d", directory.resolve("pgbouncer.ini").toString()));
        run(command);
        return new PgBouncer(directory, port, List.copyOf(command));
    }

    /**
     * Stops and starts PgBouncer on the same port: its server connections are opened anew, and so take the roles'
     * defaults as they are now (a session reads them when it starts).
     */
    public void restart() throws IOException, InterruptedException {
        stop();
        run(command);
    }

    public int port() {
        return port;
    }

    /**
     * A JDBC URL through PgBouncer; {@code prepareThreshold=0} since server-side prepared statements do not follow a
     * client from one server connection to the next.
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?prepareThreshold=0";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        run(List.of("rm", "-rf", directory.toString()));
    }

    private void stop() throws IOException, InterruptedException {
        Path pidFile = directory.resolve("pgbouncer.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            for (int wait = 0; wait < 50 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); wait++) {
                Thread.sleep(100);
            }
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + printed);
        }
    }
}
