package org.acme.bank.support;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;

/** The service's Prometheus metrics as the tests read them: a scrape, and how much a series grew between two. */
public final class Metrics {

    private Metrics() {
    }

    /** The metrics of the instance a Quarkus test started. */
    public static String scrape() {
        return scrape(management());
    }

    /** The metrics of the instance whose management interface is there. */
    public static String scrape(URI management) {
        return Bank.at(management).get("/q/metrics").expect(200).body();
    }

    /** The management interface (health, metrics) of the instance a Quarkus test started. */
    public static URI management() {
        return URI.create(RestAssured.baseURI + ":" + managementTestPort());
    }

    static int managementTestPort() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
    }

    /**
     * How much {@code name{labels}} (just {@code name} for empty labels) grew from one scrape to the other; a series
     * not yet there counts as 0.
     */
    public static long delta(String before, String after, String name, String labels) {
        return Math.round(exact(after, name, labels) - exact(before, name, labels));
    }

    /** The value of {@code name{labels}} in one scrape (a gauge), 0 when the series is not there. */
    public static long value(String scrape, String name, String labels) {
        return Math.round(exact(scrape, name, labels));
    }

    private static double exact(String scrape, String name, String labels) {
        String series = labels.isEmpty() ? name : name + "{" + labels + "}";
        Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
