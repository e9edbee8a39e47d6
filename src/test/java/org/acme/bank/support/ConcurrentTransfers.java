package org.acme.bank.support;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.RestAssured;

/**
 * Fires transfers from many threads that a latch releases together, and records what each request was answered.
 * Plain JDK HTTP client: one per run, shared by the threads.
 */
public final class ConcurrentTransfers {

    /** One planned transfer. */
    public record Planned(long from, long to, BigDecimal amount) {
    }

    /** What the service answered to one planned transfer. */
    public record Outcome(Planned transfer, int status, String problemType, int attempts, Instant answeredAt) {

        public boolean succeeded() {
            return status == 201;
        }
    }

    private static final Pattern PROBLEM_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ATTEMPTS = Pattern.compile("\"attempts\"\\s*:\\s*(\\d+)");

    private ConcurrentTransfers() {
    }

    /** Runs each user's transfers in order, all users at once, and returns every outcome. */
    public static List<Outcome> run(String strategy, List<List<Planned>> transfersPerUser) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI endpoint = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/transfers/" + strategy);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(transfersPerUser.size());
        try {
            List<Future<List<Outcome>>> users = new ArrayList<>();
            for (List<Planned> transfers : transfersPerUser) {
                users.add(pool.submit(() -> {
                    start.await();
                    List<Outcome> outcomes = new ArrayList<>();
                    for (Planned transfer : transfers) {
                        outcomes.add(send(client, endpoint, transfer));
                    }
                    return outcomes;
                }));
            }
            start.countDown();
            List<Outcome> all = new ArrayList<>();
            for (Future<List<Outcome>> user : users) {
                all.addAll(user.get());
            }
            return Collections.unmodifiableList(all);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Balances the accounts must have if exactly the successful transfers were applied. */
    public static Map<Long, BigDecimal> expectedBalances(Map<Long, BigDecimal> opening, List<Outcome> outcomes) {
        Map<Long, BigDecimal> expected = new HashMap<>(opening);
        for (Outcome outcome : outcomes) {
            if (outcome.succeeded()) {
                Planned transfer = outcome.transfer();
                expected.merge(transfer.from(), transfer.amount().negate(), BigDecimal::add);
                expected.merge(transfer.to(), transfer.amount(), BigDecimal::add);
            }
        }
        return expected;
    }

    /** Counts by answer, such as {@code {201=790, 409 /problems/deadlock=10}}, for assertion messages. */
    public static String summary(List<Outcome> outcomes) {
        Map<String, Long> counts = new TreeMap<>();
        for (Outcome outcome : outcomes) {
            String answer = outcome.status() + (outcome.problemType() == null ? "" : " " + outcome.problemType());
            counts.merge(answer, 1L, Long::sum);
        }
        return counts.toString();
    }

    public static long count(List<Outcome> outcomes, int status) {
        return outcomes.stream().filter(outcome -> outcome.status() == status).count();
    }

    public static long count(List<Outcome> outcomes, String problemType) {
        return outcomes.stream().filter(outcome -> problemType.equals(outcome.problemType())).count();
    }

    private static Outcome send(HttpClient client, URI endpoint, Planned transfer) throws Exception {
        String body = "{\"from\":" + transfer.from() + ",\"to\":" + transfer.to() + ",\"amount\":"
                + transfer.amount().toPlainString() + "}";
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Outcome(transfer, response.statusCode(), find(PROBLEM_TYPE, response.body()),
                attempts(response.body()), Instant.now());
    }

    /** What a success or a conflict says of the attempts made; 0 for other answers, which carry none. */
    private static int attempts(String body) {
        String attempts = find(ATTEMPTS, body);
        return attempts == null ? 0 : Integer.parseInt(attempts);
    }

    private static String find(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        return matcher.find() ? matcher.group(1) : null;
    }
}
