package org.acme.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Books;
import org.acme.bank.support.RawHttp;
import org.acme.bank.support.Tokens;
import org.junit.jupiter.api.Test;

/** {@code POST /transfers/bulk}: each item answered in its slot as it would be alone, one never touching another. */
@QuarkusTest
class BulkTransferTest {

    private final Bank bank = Bank.app();

    private static String item(Object from, Object to, String amount) {
        return "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":\"" + amount + "\"}";
    }

    private static String keyed(Object from, Object to, String amount, String key) {
        return "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":\"" + amount + "\",\"idempotencyKey\":\"" + key
                + "\"}";
    }

    private static String bulk(List<String> items) {
        return "{\"transfers\":[" + String.join(",", items) + "]}";
    }

    private Answer send(String owner, String body) {
        return bank.asCustomer(owner).post("/transfers/bulk", body, Map.of());
    }

    @Test
    void eachItemGetsWhatItWouldGetAloneAndTheOthersApply() {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "10.00");
        String key = "bulk-" + alice;
        List<String> items = List.of(
                item(alice, bob, "10.00"),
                "{\"from\":" + alice + ",\"amount\":\"1.00\"}",
                item(alice, alice, "1.00"),
                item(alice, bob, "0.001"),
                "{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":\"abc\"}",
                "{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":1,\"memo\":\"x\"}",
                "17",
                item(alice, bob, "1000.00"),
                item(bob, alice, "1.00"),
                item(alice, 999_999_999, "1.00"),
                keyed(alice, bob, "5.00", key),
                keyed(alice, bob, "5.00", key),
                keyed(alice, bob, "6.00", key),
                item(alice, bob, "0.50"));

        JsonNode results = send("Alice", bulk(items)).expect(200).json().get("results");

        assertEquals(items.size(), results.size(), results.toString());
        int[] statuses = {201, 400, 400, 400, 400, 400, 400, 422, 404, 404, 201, 200, 422, 201};
        for (int i = 0; i < statuses.length; i++) {
            assertEquals(statuses[i], results.get(i).get("status").asInt(), i + ": " + results.get(i));
        }
        assertEquals("to", results.get(1).get("problem").get("violations").get(0).get("field").asText());
        assertEquals("/problems/malformed-json", results.get(4).get("problem").get("type").asText());
        assertEquals("memo", results.get(5).get("problem").get("violations").get(0).get("field").asText());
        assertEquals("/problems/insufficient-funds", results.get(7).get("problem").get("type").asText());
        assertEquals("/problems/account-not-found", results.get(8).get("problem").get("type").asText());
        assertEquals(results.get(10).get("transfer"), results.get(11).get("transfer"), "the repeat is the original");
        assertEquals("/problems/idempotency-key-reused", results.get(12).get("problem").get("type").asText());
        assertTrue(results.get(0).get("transfer").get("id").asLong() > 0);
        assertEquals("batched", results.get(0).get("transfer").get("strategy").asText());

        assertEquals(new BigDecimal("84.50"), bank.balance(alice));
        assertEquals(new BigDecimal("25.50"), bank.balance(bob));
        assertEquals(3, bank.transferCount(alice));
        Books.assertAuditConsistent(bank);
    }

    @Test
    void anAmountSentAsANumberKeepsEveryDigit() {
        long alice = bank.openAccount("Alice", "700000000000000.00");
        long bob = bank.openAccount("Bob", "0.00");
        String body = "{\"transfers\":[{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":600000000000000.07},"
                + "{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":1.0000000000000001},"
                + "{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":100000000000000.001},5]}";

        JsonNode results = send("Alice", body).expect(200).json().get("results");

        assertEquals(201, results.get(0).get("status").asInt(), results.toString());
        assertEquals(new BigDecimal("600000000000000.07"), results.get(0).get("transfer").get("amount").decimalValue());
        assertEquals(400, results.get(1).get("status").asInt(), "more than two decimals, as a transfer of its own");
        assertEquals(400, results.get(2).get("status").asInt(), "more than two decimals, as a transfer of its own");
        assertEquals("/problems/malformed-json", results.get(3).get("problem").get("type").asText());
        assertEquals(new BigDecimal("600000000000000.07"), bank.balance(bob));
    }

    @Test
    void aRepeatedBulkReplaysItsKeyedItems() {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");
        String body = bulk(List.of(keyed(alice, bob, "1.00", "a-" + alice), keyed(alice, bob, "2.00", "b-" + alice)));

        JsonNode first = send("Alice", body).expect(200).json().get("results");
        JsonNode again = send("Alice", body).expect(200).json().get("results");

        for (int i = 0; i < 2; i++) {
            assertEquals(201, first.get(i).get("status").asInt());
            assertEquals(200, again.get(i).get("status").asInt());
            assertEquals(first.get(i).get("transfer"), again.get(i).get("transfer"));
        }
        assertEquals(new BigDecimal("97.00"), bank.balance(alice));
    }

    @Test
    void aThousandTransfersOfTheLongestFormFitTheBulkLimit() {
        long alice = bank.openAccount("Alice", "1000000.00");
        long bob = bank.openAccount("Bob", "0.00");
        List<String> items = new ArrayList<>();
        String padding = "k".repeat(240);
        for (int i = 0; i < 1000; i++) {
            items.add(keyed(alice, bob, "1.00", padding + String.format("%015d", (long) i * 1_000_003L + alice)));
        }
        String body = bulk(items);
        assertTrue(body.length() > 256 * 1024, "the longest bulk is well over the limit of every other route");

        JsonNode results = send("Alice", body).expect(200).json().get("results");

        assertEquals(1000, results.size());
        results.forEach(result -> assertEquals(201, result.get("status").asInt(), result.toString()));
        assertEquals(new BigDecimal("1000.00"), bank.balance(bob));
    }

    @Test
    void theRequestAsAWholeIsRefusedWhenItHasNoItemsTooManyOrIsNotJson() {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(item(alice, bob, "0.01"));
        }

        send("Alice", bulk(tooMany)).expectProblem(400, "/problems/invalid-request");
        send("Alice", bulk(List.of())).expectProblem(400, "/problems/invalid-request");
        send("Alice", "{}").expectProblem(400, "/problems/invalid-request");
        send("Alice", "{\"transfers\":[],\"more\":1}").expectProblem(400, "/problems/invalid-request");
        send("Alice", "{\"transfers\":[").expectProblem(400, "/problems/malformed-json");
        send("Alice", "[]").expectProblem(400, "/problems/malformed-json");
        // Parsed whole before any item is read: what the parser refuses anywhere refuses the request.
        send("Alice", bulk(List.of(item(alice, bob, "0.01"), "{\"from\":" + alice + ",\"to\":" + bob
                + ",\"amount\":1e-2147483648}"))).expectProblem(400, "/problems/malformed-json");
        // One key for the whole request would be a promise the bulk does not keep: a retry would move it all again.
        bank.asCustomer("Alice").post("/transfers/bulk", bulk(List.of(item(alice, bob, "0.01"))),
                Map.of("Idempotency-Key", "whole-bulk")).expectProblem(400, "/problems/invalid-request");

        assertEquals(new BigDecimal("100.00"), bank.balance(alice));
    }

    @Test
    void aBodyOverTheBulkLimitIs413AndEveryOtherRouteKeepsItsOwn() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");
        URI service = URI.create(RestAssured.baseURI + ":" + RestAssured.port);
        Map<String, String> headers = Map.of("Authorization", "Bearer " + Tokens.customer("Alice"), "Content-Type",
                "application/json");

        RawHttp.Answer declared = RawHttp.declare(service, "POST", "/transfers/bulk", headers, 1024 * 1024 + 1);
        assertEquals(413, declared.status(), declared.body());
        assertTrue(declared.body().contains("/problems/payload-too-large"), declared.body());
        RawHttp.Answer transfer = RawHttp.declare(service, "POST", "/transfers/pessimistic", headers, 20 * 1024);
        assertEquals(413, transfer.status(), "a transfer keeps its own limit: " + transfer.body());
        send("Alice", bulk(List.of(item(alice, bob, "1.00"))).replace("[", "[" + " ".repeat(20 * 1024)))
                .expect(200);
        String chunked = bulk(List.of(item(alice, bob, "1.00"))).replace("[", "[" + " ".repeat(300 * 1024));
        assertEquals(200, RawHttp.send(service, "POST", "/transfers/bulk", headers,
                chunked.getBytes(StandardCharsets.UTF_8), true).status());
        // Just over the limit: the service stops reading there, and little of the body is left unread.
        String over = bulk(List.of(item(alice, bob, "1.00"))).replace("[", "[" + " ".repeat(1024 * 1024));
        RawHttp.Answer refused = RawHttp.send(service, "POST", "/transfers/bulk", headers,
                over.getBytes(StandardCharsets.UTF_8), true);
        assertEquals(413, refused.status(), refused.body());

        assertEquals(new BigDecimal("98.00"), bank.balance(alice));
    }
}
