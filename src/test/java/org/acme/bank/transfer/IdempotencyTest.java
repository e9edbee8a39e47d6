package org.acme.bank.transfer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.acme.bank.ledger.LedgerService;
import org.acme.bank.support.Bank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An Idempotency-Key moves the money once, however often and however concurrently the request is repeated. */
@QuarkusTest
class IdempotencyTest {

    @Inject
    DataSource dataSource;

    @Inject
    LedgerService ledger;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "naive"})
    void aRepeatedRequestIsReplayedAndMovesNoMoney(String strategy) {
        long alice = Bank.openAccount("Alice", "100.00");
        long bob = Bank.openAccount("Bob", "0.00");
        String key = "key-" + strategy + "-" + alice;

        long id = transfer(strategy, key, alice, bob, "10.00")
                .then().statusCode(201).header("Idempotent-Replayed", nullValue())
                .extract().jsonPath().getLong("id");
        transfer(strategy, key, alice, bob, "10.00")
                .then().statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo((int) id))
                .body("amount", equalTo(10.0f));

        assertEquals(new BigDecimal("90.00"), Bank.balance(alice));
        assertEquals(1, Bank.transferCount(alice));
    }

    @Test
    void theSameKeyForAnotherRequestIsRefused() {
        long alice = Bank.openAccount("Alice", "100.00");
        long bob = Bank.openAccount("Bob", "0.00");
        String key = "reused-" + alice;
        transfer("pessimistic", key, alice, bob, "10.00").then().statusCode(201);

        for (Response other : List.of(
                transfer("pessimistic", key, alice, bob, "11.00"),
                transfer("pessimistic", key, bob, alice, "10.00"),
                transfer("optimistic", key, alice, bob, "10.00"))) {
            other.then().statusCode(422)
                    .contentType("application/problem+json")
                    .body("type", equalTo("/problems/idempotency-key-reused"));
        }
        assertEquals(new BigDecimal("90.00"), Bank.balance(alice));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"has space", "tab\there", "caf\u00e9"})
    void aKeyMustBeVisibleAscii(String key) {
        long alice = Bank.openAccount("Alice", "100.00");
        long bob = Bank.openAccount("Bob", "0.00");

        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":1}")
                .post("/transfers/pessimistic")
                .then().statusCode(400).contentType("application/problem+json");

        assertEquals(0, Bank.transferCount(alice));
    }

    @Test
    void aKeyIsAtMost255Characters() {
        long alice = Bank.openAccount("Alice", "100.00");
        long bob = Bank.openAccount("Bob", "0.00");

        transfer("pessimistic", "k".repeat(256), alice, bob, "1.00").then().statusCode(400);
        transfer("pessimistic", "k".repeat(255), alice, bob, "1.00").then().statusCode(201);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic"})
    void sixteenIdenticalRequestsAtOnceMakeExactlyOneTransfer(String strategy) throws Exception {
        long alice = Bank.openAccount("Alice", "100.00");
        long bob = Bank.openAccount("Bob", "0.00");
        String key = "burst-" + strategy + "-" + alice;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = plainRequest(strategy, key, alice, bob, "10.00");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        Map<Integer, Integer> statuses = new TreeMap<>();
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
                }));
            }
            start.countDown();
            for (Future<Integer> answer : answers) {
                statuses.merge(answer.get(), 1, Integer::sum);
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(Map.of(200, 15, 201, 1), statuses);
        assertEquals(new BigDecimal("90.00"), Bank.balance(alice));
        assertEquals(new BigDecimal("10.00"), Bank.balance(bob));
        assertEquals(1, Bank.transferCount(alice));
    }

    @Test
    void aClientWhoseTimeoutHidASuccessGetsTheReplayOnRetry() throws Exception {
        long alice = Bank.openAccount("Alice", "100.00");
        long bob = Bank.openAccount("Bob", "0.00");
        String key = "hidden-" + alice;

        CompletableFuture<HttpResponse<Void>> unseen = HttpClient.newHttpClient().sendAsync(
                plainRequest("pessimistic", key, alice, bob, "10.00"), HttpResponse.BodyHandlers.discarding());
        Long booked = awaitTransferUnder(key);
        // The client gives up without ever reading the answer, as after a timeout.
        unseen.cancel(true);

        transfer("pessimistic", key, alice, bob, "10.00")
                .then().statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(booked.intValue()));
        assertEquals(new BigDecimal("90.00"), Bank.balance(alice));
        assertEquals(1, Bank.transferCount(alice));
    }

    @Test
    void keysOlderThanTheRetentionArePurgedAndTheTransferStays() throws Exception {
        long alice = Bank.openAccount("Alice", "100.00");
        long bob = Bank.openAccount("Bob", "0.00");
        String key = "old-" + alice;
        long id = transfer("pessimistic", key, alice, bob, "1.00").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement age = connection.prepareStatement(
                        "update idempotency_key set created_at = now() - interval '25 hours' where key = ?")) {
            age.setString(1, key);
            assertEquals(1, age.executeUpdate());
        }

        ledger.purgeIdempotencyKeysOlderThan(Duration.ofHours(24));

        given().get("/transfers/{id}", id).then().statusCode(200);
        // Forgotten: the same key now makes a new transfer.
        transfer("pessimistic", key, alice, bob, "1.00").then().statusCode(201);
        assertEquals(new BigDecimal("98.00"), Bank.balance(alice));
    }

    private Long awaitTransferUnder(String key) throws InterruptedException {
        for (int poll = 0; poll < 200; poll++) {
            Optional<Long> booked = ledger.findByIdempotencyKey(key).map(transfer -> transfer.id);
            if (booked.isPresent()) {
                return booked.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the transfer under " + key + " was never booked");
    }

    /** The transfer as a JDK HTTP client request, for tests that fire it concurrently or never read the answer. */
    private static HttpRequest plainRequest(String strategy, String key, long from, long to, String amount) {
        return HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/transfers/" + strategy))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + amount + "}"))
                .build();
    }

    private static Response transfer(String strategy, String key, long from, long to, String amount) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + amount + "}")
                .post("/transfers/{strategy}", strategy);
    }
}
