package org.acme.bank.faults;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Users that keep sending transfers to the given instances until stopped, each request with an Idempotency-Key of its
 * own, so that every answer can later be matched against the ledger. All users are released together by a latch.
 */
final class TransferLoad {

    /** Longer than any bounded wait in the service: a request still unanswered by then hangs. */
    static final Duration ANSWER_LIMIT = Duration.ofSeconds(30);
    static final int NO_ANSWER = -1;

    record Request(URI instance, String strategy, long from, long to, BigDecimal amount, String key) {
    }

    record Answer(Request request, int status, String problemType, Long transferId, boolean retryAfter,
            Instant sentAt, Instant answeredAt) {

        boolean succeeded() {
            return status == 201 || status == 200;
        }

        Duration latency() {
            return Duration.between(sentAt, answeredAt);
        }

        String summary() {
            return status + (problemType == null ? "" : " " + problemType);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<URI> instances;
    private final List<String> strategies;
    private final List<Long> accounts;
    private final int users;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    TransferLoad(List<URI> instances, List<String> strategies, List<Long> accounts, int users) {
        this.instances = instances;
        this.strategies = strategies;
        this.accounts = accounts;
        this.users = users;
    }

    void start() {
        running = true;
        CountDownLatch start = new CountDownLatch(1);
        for (int user = 0; user < users; user++) {
            Random random = new Random(user);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (running) {
                    answers.add(send(next(random)));
                }
            }, "load-user-" + user);
            threads.add(thread);
            thread.start();
        }
        start.countDown();
    }

    List<Answer> stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(ANSWER_LIMIT.multipliedBy(2).toMillis());
        }
        return List.copyOf(answers);
    }

    long successesSince(Instant since) {
        return answers.stream().filter(answer -> answer.succeeded() && answer.sentAt().isAfter(since)).count();
    }

    /** Waits until at least {@code wanted} transfers sent after {@code since} have succeeded, or the limit passes. */
    void awaitSuccessesSince(Instant since, long wanted, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (successesSince(since) < wanted && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
    }

    Answer send(Request request) {
        HttpRequest http = HttpRequest.newBuilder(request.instance().resolve("/transfers/" + request.strategy()))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", request.key())
                .timeout(ANSWER_LIMIT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"from\":" + request.from() + ",\"to\":" + request.to()
                        + ",\"amount\":" + request.amount().toPlainString() + "}"))
                .build();
        Instant sent = Instant.now();
        try {
            HttpResponse<String> response = client.send(http, HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            boolean success = response.statusCode() / 100 == 2;
            return new Answer(request, response.statusCode(), success ? null : body.path("type").asText(null),
                    success ? Long.valueOf(body.path("id").asLong())
                            : body.hasNonNull("transferId") ? body.get("transferId").asLong() : null,
                    response.headers().firstValue("Retry-After").isPresent(), sent, Instant.now());
        } catch (IOException e) {
            return new Answer(request, NO_ANSWER, e.getClass().getSimpleName(), null, false, sent, Instant.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(request, NO_ANSWER, "interrupted", null, false, sent, Instant.now());
        }
    }

    /** Counts by answer, such as {@code {201=790, 503 /problems/database-unavailable=10}}. */
    static Map<String, Long> summary(List<Answer> answers) {
        Map<String, Long> counts = new TreeMap<>();
        answers.forEach(answer -> counts.merge(answer.summary(), 1L, Long::sum));
        return counts;
    }

    private Request next(Random random) {
        int from = random.nextInt(accounts.size());
        int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
        return new Request(instances.get(random.nextInt(instances.size())),
                strategies.get(random.nextInt(strategies.size())), accounts.get(from), accounts.get(to),
                BigDecimal.valueOf(1 + random.nextInt(500), 2), UUID.randomUUID().toString());
    }
}
