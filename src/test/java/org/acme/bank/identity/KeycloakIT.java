package org.acme.bank.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.acme.bank.support.Bank;
import org.acme.bank.support.Books;
import org.acme.bank.support.RestartablePostgres;
import org.acme.bank.support.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged service against a real identity provider: Keycloak, the distribution that the build unpacks from Maven
 * Central into target/keycloak (pre-integration-test; its path comes as {@code keycloak.home}), run in dev mode on an
 * in-memory database on the JDK named by {@code keycloak.java.home} (Temurin 25 by default), with the realms of
 * src/test/resources/keycloak imported. The service is told only where the provider is and its own audience, as in
 * production; the users' tokens come from Keycloak by the password grant. Logs: target/keycloak.log and
 * target/keycloak-instance.log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakIT {

    private static final String AUDIENCE = "bank-transfers";
    private static final String CLIENT = "bank-client";
    /** The realms Keycloak imports at start: src/test/resources/keycloak. */
    private static final List<String> REALM_FILES = List.of("bank-realm.json", "other-realm.json");
    private static final String DEFAULT_JAVA_HOME = "/usr/lib/jvm/temurin-25-jdk-amd64";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private Keycloak keycloak;
    private RestartablePostgres postgres;
    private ServiceProcess service;
    private Bank bank;

    /** Tokens by user, from realm bank unless named otherwise. */
    private String alice;
    private String bob;
    private String tess;
    private String audrey;
    private String otherRealmsAlice;

    @BeforeAll
    void startKeycloakDatabaseAndService() throws Exception {
        keycloak = Keycloak.start(keycloakHome(),
                Path.of(System.getProperty("keycloak.java.home", DEFAULT_JAVA_HOME)), Path.of("target", "keycloak.log"));
        System.out.println(keycloak.startupReport());

        postgres = RestartablePostgres.start();
        service = ServiceProcess.start("keycloak-instance", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("bank-service"),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                // Identity as a deployment configures it: the provider and this service's audience, nothing else.
                "QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realm("bank").toString(),
                "QUARKUS_OIDC_TOKEN_AUDIENCE", AUDIENCE));
        bank = Bank.at(service.uri());

        alice = token("bank", "alice");
        bob = token("bank", "bob");
        tess = token("bank", "tess");
        audrey = token("bank", "audrey");
        otherRealmsAlice = token("other", "alice");
    }

    @AfterAll
    void stopEverything() throws Exception {
        try (Keycloak provider = keycloak; RestartablePostgres database = postgres; ServiceProcess instance = service) {
            // Closed in reverse order: the service, the database, then Keycloak.
        }
    }

    @Test
    void theTokensAreKeycloaksAsTheServiceExpectsThem() {
        JsonNode customer = claims(alice);
        assertEquals(keycloak.realm("bank").toString(), customer.path("iss").asText(), customer.toString());
        assertTrue(audiences(customer).contains(AUDIENCE), customer.toString());
        assertTrue(customer.path("sub").asText().length() > 0, customer.toString());
        assertTrue(!realmRoles(customer).contains("teller") && !realmRoles(customer).contains("auditor"),
                customer.toString());
        assertTrue(realmRoles(claims(tess)).contains("teller"), claims(tess).toString());
        assertTrue(realmRoles(claims(audrey)).contains("auditor"), claims(audrey).toString());

        // The other realm's alice carries the same audience and both roles: only her issuer and its keys differ.
        JsonNode stranger = claims(otherRealmsAlice);
        assertEquals(keycloak.realm("other").toString(), stranger.path("iss").asText(), stranger.toString());
        assertTrue(audiences(stranger).contains(AUDIENCE), stranger.toString());
        assertTrue(realmRoles(stranger).containsAll(List.of("teller", "auditor")), stranger.toString());
    }

    @Test
    void aliceMovesHerOwnMoneyAndNotBobs() {
        String aliceSubject = subject(alice);
        String bobSubject = subject(bob);
        long alices = openAccount(aliceSubject, "100.00");
        long bobs = openAccount(bobSubject, "100.00");
        Bank asAlice = bank.as(alice);

        for (String strategy : List.of("pessimistic", "optimistic", "batched")) {
            asAlice.transfer(strategy, alices, bobs, "10.00").expect(201);
        }
        assertEquals(new BigDecimal("70.00"), asAlice.balance(alices));
        assertEquals(new BigDecimal("130.00"), bank.as(bob).balance(bobs));

        for (String strategy : List.of("pessimistic", "optimistic", "batched")) {
            asAlice.transfer(strategy, bobs, alices, "1.00").expectProblem(404, "/problems/account-not-found");
            // Nor does a teller move a customer's money: only the owner debits.
            bank.as(tess).transfer(strategy, alices, bobs, "1.00").expectProblem(404, "/problems/account-not-found");
        }
        asAlice.get("/accounts/" + bobs).expectProblem(404, "/problems/account-not-found");
        JsonNode listed = asAlice.getJson("/accounts?size=1000");
        assertTrue(listed.size() > 0 && StreamSupport.stream(listed.spliterator(), false)
                .allMatch(account -> account.path("owner").asText().equals(aliceSubject)), listed.toString());
        assertEquals(new BigDecimal("70.00"), asAlice.balance(alices));
        assertEquals(new BigDecimal("130.00"), bank.as(bob).balance(bobs));
    }

    @Test
    void theAuditorAuditsAndNoOneElse() {
        bank.as(alice).get("/audit").expectProblem(403, "/problems/forbidden");
        bank.as(tess).get("/audit").expectProblem(403, "/problems/forbidden");
        bank.as(audrey).get("/audit").expect(200);
        Books.assertAuditConsistent(bank.as(audrey));
    }

    @Test
    void aTokenOfAnotherRealmIsRefused() {
        long alices = openAccount(subject(alice), "5.00");
        long bobs = openAccount(subject(bob), "0.00");
        Bank stranger = bank.as(otherRealmsAlice);

        stranger.get("/accounts").expectProblem(401, "/problems/unauthorized");
        stranger.get("/audit").expectProblem(401, "/problems/unauthorized");
        stranger.post("/accounts", "{\"owner\":\"" + subject(alice) + "\",\"balance\":1000.00}", Map.of())
                .expectProblem(401, "/problems/unauthorized");
        stranger.transfer("pessimistic", alices, bobs, "1.00").expectProblem(401, "/problems/unauthorized");
        assertEquals(new BigDecimal("5.00"), bank.as(alice).balance(alices));
    }

    @Test
    void noTokenIsRefused() {
        Bank anonymous = bank.as(null);
        anonymous.get("/accounts").expectProblem(401, "/problems/unauthorized").expectHeader("WWW-Authenticate",
                "Bearer");
        anonymous.get("/audit").expectProblem(401, "/problems/unauthorized");
        anonymous.post("/transfers/pessimistic", "{\"from\":1,\"to\":2,\"amount\":1}", Map.of())
                .expectProblem(401, "/problems/unauthorized");
    }

    /** An account opened by tess, the teller, for a subject, with money in it. */
    private long openAccount(String owner, String balance) {
        return bank.as(tess).post("/accounts", "{\"owner\":\"" + owner + "\",\"balance\":" + balance + "}", Map.of())
                .expect(201).expectField("owner", owner).id();
    }

    /** An access token of the user, by the password grant (each test user's password is its name and -password). */
    private String token(String realm, String username) throws Exception {
        String form = "grant_type=password&client_id=" + CLIENT + "&username=" + form(username) + "&password="
                + form(username + "-password");
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(keycloak.realm(realm) + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), () -> username + "@" + realm + ": " + response.body());
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The token's payload, read without checking it: the service checks it. */
    private static JsonNode claims(String token) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The subject the service sees: Keycloak's user id. */
    private static String subject(String token) {
        return claims(token).get("sub").asText();
    }

    private static List<String> audiences(JsonNode claims) {
        JsonNode aud = claims.path("aud");
        return aud.isArray() ? StreamSupport.stream(aud.spliterator(), false).map(JsonNode::asText).toList()
                : List.of(aud.asText());
    }

    private static List<String> realmRoles(JsonNode claims) {
        return StreamSupport.stream(claims.path("realm_access").path("roles").spliterator(), false)
                .map(JsonNode::asText).toList();
    }

    /** {@code keycloak.home} from the build, or the one distribution unpacked under target/keycloak. */
    private static Path keycloakHome() throws IOException {
        String configured = System.getProperty("keycloak.home");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path unpacked = Path.of("target", "keycloak");
        if (Files.isDirectory(unpacked)) {
            try (Stream<Path> entries = Files.list(unpacked)) {
                List<Path> homes = entries.filter(path -> path.getFileName().toString().startsWith("keycloak-"))
                        .filter(path -> Files.isRegularFile(path.resolve("bin/kc.sh"))).toList();
                if (homes.size() == 1) {
                    return homes.get(0).toAbsolutePath();
                }
            }
        }
        throw new IllegalStateException("No Keycloak distribution: ./mvnw verify unpacks it into target/keycloak and "
                + "names it with -Dkeycloak.home");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Keycloak in dev mode ({@code kc.sh start-dev}) on an in-memory database, so that each start imports the realms
     * afresh. kc.sh runs Java as its child (or replaces itself with it after a build step): both are stopped.
     */
    private static final class Keycloak implements AutoCloseable {

        /** Its first start after unpacking builds the server first: about 50 s on two busy cores. */
        private static final Duration STARTUP_LIMIT = Duration.ofMinutes(5);
        private static final Duration STOP_LIMIT = Duration.ofSeconds(30);
        private static final Pattern BUILD_TIME = Pattern.compile("augmentation completed in (\\d+)ms");

        private final Path home;
        private final Process process;
        private final URI uri;
        private final Path log;
        private final Thread reaper;
        private Duration startup;

        private Keycloak(Path home, Process process, URI uri, Path log) {
            this.home = home;
            this.process = process;
            this.uri = uri;
            this.log = log;
            // Should the test JVM be stopped before @AfterAll, Keycloak is not left running.
            this.reaper = new Thread(() -> tree().forEach(ProcessHandle::destroyForcibly), "keycloak-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
        }

        static Keycloak start(Path home, Path javaHome, Path log) throws Exception {
            Path script = home.resolve("bin/kc.sh");
            if (!Files.isRegularFile(script)) {
                throw new IllegalStateException("No Keycloak at " + home + " (bin/kc.sh is missing)");
            }
            if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
                throw new IllegalStateException("No JDK at " + javaHome + " for Keycloak: set -Dkeycloak.java.home");
            }
            importRealms(home.resolve("data/import"));
            int port = freePort();
            int managementPort = freePort();
            ProcessBuilder builder = new ProcessBuilder("sh", script.toString(), "start-dev", "--import-realm",
                    "--db=dev-mem", "--http-host=127.0.0.1", "--http-port=" + port,
                    "--http-management-port=" + managementPort)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> environment = builder.environment();
            // Only this test configures it: no KC_* setting, Java or JVM options of the surrounding environment.
            environment.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("JAVA_OPTS")
                    || name.equals("JAVA") || name.equals("JAVA_ADD_OPENS"));
            environment.put("JAVA_HOME", javaHome.toString());
            Instant launched = Instant.now();
            Keycloak keycloak = new Keycloak(home, builder.start(), URI.create("http://localhost:" + port), log);
            try {
                keycloak.awaitRealms(launched);
            } catch (Exception | Error e) {
                keycloak.close();
                throw e;
            }
            return keycloak;
        }

        /** The realm's URL: its issuer, and the service's auth-server-url. */
        URI realm(String name) {
            return uri.resolve("/realms/" + name);
        }

        String startupReport() throws IOException {
            Matcher build = BUILD_TIME.matcher(Files.readString(log));
            return String.format("Keycloak %s answered %.1f s after kc.sh was started%s; log: %s",
                    home.getFileName(), startup.toMillis() / 1000.0,
                    build.find() ? String.format(" (of which %.1f s building it, as after every fresh unpack)",
                            Long.parseLong(build.group(1)) / 1000.0) : "",
                    log.toAbsolutePath());
        }

        private static void importRealms(Path imports) throws IOException {
            Files.createDirectories(imports);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(imports, "*.json")) {
                for (Path file : old) {
                    Files.delete(file);
                }
            }
            for (String file : REALM_FILES) {
                try (InputStream realm = KeycloakIT.class.getResourceAsStream("/keycloak/" + file)) {
                    if (realm == null) {
                        throw new IllegalStateException("No realm file keycloak/" + file + " among the test resources");
                    }
                    Files.copy(realm, imports.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }

        /** Until every realm's discovery document answers: they are imported before Keycloak listens. */
        private void awaitRealms(Instant launched) throws Exception {
            List<HttpRequest> discovery = Stream.of("bank", "other")
                    .map(name -> HttpRequest.newBuilder(URI.create(realm(name) + "/.well-known/openid-configuration"))
                            .timeout(Duration.ofSeconds(5)).build())
                    .toList();
            Instant deadline = launched.plus(STARTUP_LIMIT);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Keycloak exited during startup with " + process.exitValue()
                            + "; see " + log.toAbsolutePath() + "\n" + tail());
                }
                if (answers(discovery)) {
                    startup = Duration.between(launched, Instant.now());
                    return;
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException("Keycloak did not answer within " + STARTUP_LIMIT + "; see "
                    + log.toAbsolutePath() + "\n" + tail());
        }

        private static boolean answers(List<HttpRequest> requests) throws InterruptedException {
            for (HttpRequest request : requests) {
                try {
                    if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                        return false;
                    }
                } catch (IOException notYet) {
                    return false;
                }
            }
            return true;
        }

        private String tail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException | UncheckedIOException e) {
                return "(log unreadable: " + e + ")";
            }
        }

        /** kc.sh and what it started, read before anything is stopped (an orphan is no longer a descendant). */
        private List<ProcessHandle> tree() {
            List<ProcessHandle> tree = new ArrayList<>();
            tree.add(process.toHandle());
            process.descendants().forEach(tree::add);
            return tree;
        }

        @Override
        public void close() throws Exception {
            List<ProcessHandle> tree = tree();
            tree.forEach(ProcessHandle::destroy);
            Instant deadline = Instant.now().plus(STOP_LIMIT);
            for (ProcessHandle handle : tree) {
                long left = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
                try {
                    handle.onExit().get(left, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    handle.destroyForcibly();
                }
            }
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs anyway.
            }
        }
    }
}
