package org.acme.bank.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stoplight Prism as a validation proxy in front of a running service: it forwards every request, checks it and its
 * answer against the published OpenAPI document, and names what breaks it in an {@code sl-violations} header. Run
 * through npx (as .ci/run runs Redocly), so Node.js must be installed; the first start downloads Prism.
 */
public final class ContractProxy implements AutoCloseable {

    public static final String VIOLATIONS = "sl-violations";
    private static final String PRISM = "@stoplight/prism-cli@5.16.0";
    /** Time for npx to download Prism on a first run. */
    private static final Duration STARTUP_LIMIT = Duration.ofMinutes(4);

    private final Process process;
    private final StringBuilder log = new StringBuilder();
    private final URI uri;

    private ContractProxy(Path document, URI service) throws IOException, InterruptedException {
        int port = Ports.free();
        uri = URI.create("http://127.0.0.1:" + port);
        process = new ProcessBuilder("npx", "--yes", PRISM, "proxy", document.toString(), service.toString(),
                "--host", "127.0.0.1", "--port", String.valueOf(port))
                .redirectErrorStream(true).start();
        CountDownLatch listening = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    if (line.contains("Prism is listening")) {
                        listening.countDown();
                    }
                }
            } catch (IOException ended) {
                // The process is gone; what it printed is in the log.
            }
        }, "prism-output");
        reader.setDaemon(true);
        reader.start();
        if (!listening.await(STARTUP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            close();
            throw new IllegalStateException("Prism did not start:\n" + log());
        }
    }

    public static boolean available() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, "npx"))) {
                return true;
            }
        }
        return false;
    }

    public static ContractProxy start(Path document, URI service) throws IOException, InterruptedException {
        return new ContractProxy(document, service);
    }

    public URI uri() {
        return uri;
    }

    public String log() {
        synchronized (log) {
            return log.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
