package org.acme.bank.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What belongs to dev mode, the lab or the tests and must never ship: by entry name, and by content (the dev and test
 * keys and issuers, found in any entry's bytes, so that no renamed copy slips through).
 */
public final class DevOnly {

    private static final List<String> NAMES = List.of("org/acme/bank/lab/", "sample_accounts", "DevTokens",
            "dev/tokens", "identity.properties", "test-private-key");

    private DevOnly() {
    }

    /** The entries of a jar that carry something of dev mode, the lab or the tests, with why. */
    public static List<String> foundIn(Path jar) {
        List<String> secrets = secrets();
        List<String> found = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                NAMES.stream().filter(entry.getName()::contains).forEach(name -> found.add(entry.getName()));
                if (!entry.isDirectory()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        String content = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                        secrets.stream().filter(content::contains)
                                .forEach(secret -> found.add(entry.getName() + " holds " + secret.substring(0, 20)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        for (Path identity : List.of(Path.of("src/dev/identity.properties"),
                Path.of("src/test/resources/identity/test-identity.properties"))) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(identity)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            secrets.add(properties.getProperty("quarkus.oidc.public-key").substring(0, 64));
            secrets.add(properties.getProperty("quarkus.oidc.token.issuer"));
        }
        return secrets;
    }
}
