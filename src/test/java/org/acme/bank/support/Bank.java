package org.acme.bank.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.restassured.RestAssured;

/**
 * The service's HTTP API as every test calls it: the instance under {@code @QuarkusTest} ({@link #app()}) or one a test
 * started itself ({@link #at(URI)}). One JDK HTTP client for all, safe to share between threads. Requests a test must
 * shape byte by byte (hostile input, cut connections) go through {@link RawHttp} instead.
 * <p>
 * Every request carries a bearer token ({@link Tokens}). A transfer is sent by the owner of its {@code from} account,
 * as a customer would send it; other requests by {@link Tokens#operator()}, who opens funded accounts and reads
 * everything. {@link #as(String)} sends everything with one token instead.
 */
public final class Bank {

    /** Longer than any bounded wait in the service: a request still unanswered by then hangs. */
    public static final Duration ANSWER_LIMIT = Duration.ofSeconds(60);
    /** The status of a request whose connection ended without an answer. */
    public static final int NO_ANSWER = -1;

    /** Decimals read exactly as written: {@code 90.00}, not {@code 9E+1}. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** A transfer as a client asks for it; {@code key} is its Idempotency-Key, or null. */
    public record Transfer(String strategy, long from, long to, BigDecimal amount, String key) {

        public Transfer(String strategy, long from, long to, String amount) {
            this(strategy, from, to, new BigDecimal(amount), null);
        }

        public String json() {
            return "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + amount.toPlainString() + "}";
        }
    }

    /**
     * What the service answered; {@code transfer} is what was asked, when the request was one. A connection that ended
     * without an answer has status {@link #NO_ANSWER} and the failure's name as body.
     */
    public record Answer(Transfer transfer, int status, String body, HttpHeaders headers, Instant sentAt,
            Instant answeredAt) {

        public boolean succeeded() {
            return status == 201 || status == 200;
        }

        public JsonNode json() {
            if (status == NO_ANSWER || body.isEmpty()) {
                return MissingNode.getInstance();
            }
            try {
                return JSON.readTree(body);
            } catch (IOException notJson) {
                throw new AssertionError("answered " + status + " with a body that is not JSON: " + body, notJson);
            }
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The problem's {@code type}; null for a success, and the failure's name when there was no answer. */
        public String problemType() {
            if (status == NO_ANSWER) {
                return body;
            }
            return succeeded() ? null : json().path("type").asText(null);
        }

        /** The transfer's id: the ledger row of a success, or the {@code transferId} an outcome-unknown names. */
        public Long transferId() {
            JsonNode id = json().path(succeeded() ? "id" : "transferId");
            return id.isNumber() ? id.asLong() : null;
        }

        /** What a success or a conflict says of the attempts made; 0 for answers that carry none. */
        public int attempts() {
            return json().path("attempts").asInt(0);
        }

        public Duration latency() {
            return Duration.between(sentAt, answeredAt);
        }

        /** Such as {@code 201} or {@code 409 /problems/deadlock}, for counts and assertion messages. */
        public String summary() {
            String type = problemType();
            return status + (type == null ? "" : " " + type);
        }

        public Answer expect(int wanted) {
            assertEquals(wanted, status, () -> "answered " + status + " " + body);
            return this;
        }

        /** A problem answer: the status, {@code application/problem+json}, and the type. */
        public Answer expectProblem(int wanted, String type) {
            expect(wanted);
            assertTrue(header("Content-Type").orElse("").startsWith("application/problem+json"), body);
            assertEquals(type, problemType(), body);
            return this;
        }

        public Answer expectHeader(String name, String value) {
            assertEquals(value, header(name).orElse(null), () -> name + " of " + status + " " + body);
            return this;
        }

        public Answer expectHeaderMatching(String name, String pattern) {
            String value = header(name).orElse("");
            assertTrue(value.matches(pattern), () -> name + ": " + value + " does not match " + pattern);
            return this;
        }

        public Answer expectNoHeader(String name) {
            return expectHeader(name, null);
        }

        /** A field of the JSON body, written as JSON writes it ({@code "10.00"}, {@code "2"}, {@code "batched"}). */
        public Answer expectField(String name, String value) {
            JsonNode field = json().path(name);
            assertEquals(value, field.isMissingNode() || field.isNull() ? null : field.asText(), body);
            return this;
        }

        /** The {@code id} of a success. */
        public long id() {
            return json().get("id").asLong();
        }
    }

    /** Whose each account is, by database (the address of the first instance on it) and id. */
    private static final Map<String, String> OWNERS = new ConcurrentHashMap<>();
    /** A subject that owns nothing, for transfers from accounts that do not exist. */
    private static final String NOBODY = "Nobody";

    private final Supplier<URI> service;
    /** Names the database in {@link #OWNERS}: the address of the first instance a test reached it through. */
    private final Supplier<URI> database;
    /** The one token of every request, or null: the sender's for transfers, the operator's for the rest. */
    private final String token;

    private Bank(Supplier<URI> service, Supplier<URI> database, String token) {
        this.service = service;
        this.database = database;
        this.token = token;
    }

    /** The instance {@code @QuarkusTest} started, found when a request is made (the port is known only by then). */
    public static Bank app() {
        Supplier<URI> service = () -> URI.create(RestAssured.baseURI + ":" + RestAssured.port);
        return new Bank(service, service, null);
    }

    public static Bank at(URI service) {
        return new Bank(() -> service, () -> service, null);
    }

    /** Another instance on the same database: the owners known through one are known through the other. */
    public Bank alsoAt(URI otherInstance) {
        return new Bank(() -> otherInstance, database, token);
    }

    /** The same service, every request sent with this token (or without any when null). */
    public Bank as(String bearerToken) {
        return new Bank(service, database, bearerToken == null ? "" : bearerToken);
    }

    /** The same service, every request sent with a customer's token. */
    public Bank asCustomer(String subject) {
        return as(Tokens.customer(subject));
    }

    public URI uri(String path) {
        return service.get().resolve(path);
    }

    /** Opens an account for {@code owner} (a subject) with an opening balance, as a teller. */
    public long openAccount(String owner, String balance) {
        long id = post("/accounts", "{\"owner\":\"" + owner + "\",\"balance\":" + balance + "}", Map.of())
                .expect(201).id();
        OWNERS.put(database.get() + "#" + id, owner);
        return id;
    }

    /** Opens {@code count} accounts for {@code owner}, each with {@code balance}: their opening balances by id. */
    public Map<Long, BigDecimal> openAccounts(int count, String owner, String balance) {
        Map<Long, BigDecimal> opening = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            opening.put(openAccount(owner, balance), new BigDecimal(balance));
        }
        return opening;
    }

    /**
     * The subject whose account this is, asked of the service once (accounts written by SQL have owners too); nobody's
     * while the service cannot say, asked again next time.
     */
    public String ownerOf(long account) {
        String key = database.get() + "#" + account;
        String known = OWNERS.get(key);
        if (known != null) {
            return known;
        }
        Answer answer = get("/accounts/" + account);
        if (answer.status != 200) {
            return NOBODY;
        }
        String owner = answer.json().get("owner").asText();
        OWNERS.put(key, owner);
        return owner;
    }

    public BigDecimal balance(long account) {
        return getJson("/accounts/" + account).get("balance").decimalValue();
    }

    public Answer transfer(String strategy, long from, long to, String amount) {
        return send(new Transfer(strategy, from, to, amount));
    }

    /** The same transfer under an {@code Idempotency-Key}. */
    public Answer transfer(String strategy, String key, long from, long to, String amount) {
        return send(new Transfer(strategy, from, to, new BigDecimal(amount), key));
    }

    public Answer send(Transfer transfer) {
        return exchange(transfer, request(transfer));
    }

    /** The transfer sent without waiting; the future completes with its answer, or {@link #NO_ANSWER}. */
    public CompletableFuture<Answer> sendAsync(Transfer transfer) {
        return exchangeAsync(transfer, request(transfer));
    }

    /** A POST of a JSON body as written, with extra headers. */
    public Answer post(String path, String json, Map<String, String> headers) {
        return exchange(null, post(path, json, headers, token == null ? Tokens.operator() : token));
    }

    /** The same POST sent without waiting (no thread waits for it); the future completes as for a transfer. */
    public CompletableFuture<Answer> postAsync(String path, String json, Map<String, String> headers) {
        return exchangeAsync(null, post(path, json, headers, token == null ? Tokens.operator() : token));
    }

    private HttpRequest post(String path, String json, Map<String, String> headers, String bearer) {
        HttpRequest.Builder request = authorized(HttpRequest.newBuilder(uri(path)), bearer)
                .timeout(ANSWER_LIMIT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return request.build();
    }

    private static CompletableFuture<Answer> exchangeAsync(Transfer transfer, HttpRequest request) {
        Instant sent = Instant.now();
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> response != null ? answered(transfer, sent, response)
                        : noAnswer(transfer, sent, failure instanceof CompletionException ? failure.getCause() : failure));
    }

    public Answer get(String path) {
        return exchange(null, authorized(HttpRequest.newBuilder(uri(path)), token == null ? Tokens.operator() : token)
                .timeout(ANSWER_LIMIT).build());
    }

    /** The body of a GET that must answer 200. */
    public JsonNode getJson(String path) {
        return get(path).expect(200).json();
    }

    public JsonNode audit() {
        return getJson("/audit");
    }

    /** How many transfers the account's history holds (up to a thousand). */
    public int transferCount(long account) {
        return getJson("/accounts/" + account + "/transfers?size=1000").size();
    }

    /** The transfer as an HTTP request, for a test that must send it with a client of its own. */
    public HttpRequest request(Transfer transfer) {
        HttpRequest.Builder request = authorized(HttpRequest.newBuilder(uri("/transfers/" + transfer.strategy())),
                token == null ? Tokens.customer(ownerOf(transfer.from())) : token)
                .timeout(ANSWER_LIMIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(transfer.json()));
        if (transfer.key() != null) {
            request.header("Idempotency-Key", transfer.key());
        }
        return request.build();
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, String bearerToken) {
        return bearerToken.isEmpty() ? request : request.header("Authorization", "Bearer " + bearerToken);
    }

    private static Answer exchange(Transfer transfer, HttpRequest request) {
        Instant sent = Instant.now();
        try {
            return answered(transfer, sent, CLIENT.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return noAnswer(transfer, sent, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return noAnswer(transfer, sent, e);
        }
    }

    private static Answer answered(Transfer transfer, Instant sent, HttpResponse<String> response) {
        return new Answer(transfer, response.statusCode(), response.body(), response.headers(), sent, Instant.now());
    }

    private static Answer noAnswer(Transfer transfer, Instant sent, Throwable failure) {
        if (!(failure instanceof IOException || failure instanceof InterruptedException)) {
            throw new IllegalStateException("the request could not be sent", failure);
        }
        return new Answer(transfer, NO_ANSWER, failure.getClass().getSimpleName(),
                HttpHeaders.of(Map.of(), (name, value) -> true), sent, Instant.now());
    }
}
