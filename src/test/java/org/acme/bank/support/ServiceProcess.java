package org.acme.bank.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One more running copy of the packaged service (the jar, or the native executable when that is what was built),
 * started the way {@code @QuarkusIntegrationTest} starts its own, for tests that need several instances or that must
 * stop the database under a running service.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(90);

    private final Process process;
    private final URI uri;
    private final URI management;
    private final Path log;

    private ServiceProcess(Process process, URI uri, URI management, Path log) {
        this.process = process;
        this.uri = uri;
        this.management = management;
        this.log = log;
    }

    /** Starts the packaged service with these environment variables and waits until it reports ready. */
    public static ServiceProcess start(String name, Map<String, String> environment) throws Exception {
        int port = Ports.free();
        int managementPort = Ports.free();
        Path log = Path.of("target", name + ".log");
        ServiceProcess service = new ServiceProcess(launch(log, environment, port, managementPort),
                URI.create("http://localhost:" + port), URI.create("http://localhost:" + managementPort), log);
        service.awaitReady();
        return service;
    }

    /**
     * Starts the packaged service with settings it must refuse, and returns what it logged before it stopped by
     * itself with a failure status.
     */
    public static String refusedStartLog(String name, Map<String, String> environment) throws Exception {
        Path log = Path.of("target", name + ".log");
        Process process = launch(log, environment, Ports.free(), Ports.free());
        if (!process.waitFor(STARTUP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("The service kept running; see " + log.toAbsolutePath());
        }
        if (process.exitValue() == 0) {
            throw new IllegalStateException("The service stopped without a failure; see " + log.toAbsolutePath());
        }
        return Files.readString(log);
    }

    public URI uri() {
        return uri;
    }

    /** The management interface: health and metrics. */
    public URI management() {
        return management;
    }

    /** Sends SIGTERM, as an orchestrator stopping the service does, and returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** Whether the process ended within the limit. */
    public boolean awaitExit(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private void awaitReady() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(management.resolve("/q/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        Instant deadline = Instant.now().plus(STARTUP_LIMIT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The service exited during startup; see " + log.toAbsolutePath());
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Keep polling until the deadline.
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException(
                "The service was not ready within " + STARTUP_LIMIT + "; see " + log.toAbsolutePath());
    }

    private static Process launch(Path log, Map<String, String> environment, int port, int managementPort)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (!environment.containsKey("QUARKUS_OIDC_AUTH_SERVER_URL")) {
            // The tests' fixed key, unless the test names an identity provider.
            builder.environment().putAll(Tokens.environment());
        }
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        return builder.start();
    }

    /** What the build produced, as recorded in target/quarkus-artifact.properties. */
    private static List<String> command() throws IOException {
        Properties artifact = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("target", "quarkus-artifact.properties"))) {
            artifact.load(in);
        }
        Path path = Path.of("target").resolve(artifact.getProperty("path")).toAbsolutePath();
        List<String> command = new ArrayList<>();
        if ("native".equals(artifact.getProperty("type"))) {
            command.add(path.toString());
        } else {
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add("-jar");
            command.add(path.toString());
        }
        return command;
    }
}
