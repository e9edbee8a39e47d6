package org.acme.bank.support;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The service's Prometheus metrics as the tests read them: a scrape, and how much a series grew between two. */
public final class Metrics {

    private Metrics() {
    }

    public static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
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
