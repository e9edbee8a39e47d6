package org.acme.bank.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Metrics;
import org.acme.bank.web.ProblemType;
import org.junit.jupiter.api.Test;

/** Health, metrics and OpenAPI, as an operator and a client developer meet them. */
@QuarkusTest
class OperationsTest {

    private final Bank bank = Bank.app();

    @Test
    void livenessAndReadinessIncludingTheDatabase() {
        given().baseUri(Metrics.management().toString()).get("/q/health/live")
                .then().statusCode(200).body("status", equalTo("UP"));
        given().baseUri(Metrics.management().toString()).get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
        // Never beside the API: the management interface is a port of its own.
        bank.get("/q/health").expect(404);
        bank.get("/q/metrics").expect(404);
    }

    @Test
    void metricsCountTransfersByStrategyAndOutcome() {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");
        String before = Metrics.scrape();

        bank.transfer("pessimistic", alice, bob, "1.00").expect(201);
        bank.transfer("pessimistic", alice, bob, "1.00").expect(201);
        bank.transfer("pessimistic", alice, bob, "100.00").expect(422);
        bank.transfer("optimistic", alice, bob, "1.00").expect(201);

        String after = Metrics.scrape();
        assertEquals(2, Metrics.delta(before, after, "bank_transfers_seconds_count", "outcome=\"succeeded\",strategy=\"pessimistic\""));
        assertEquals(1, Metrics.delta(before, after, "bank_transfers_seconds_count", "outcome=\"insufficient_funds\",strategy=\"pessimistic\""));
        assertEquals(1, Metrics.delta(before, after, "bank_transfers_seconds_count", "outcome=\"succeeded\",strategy=\"optimistic\""));
        assertTrue(after.contains("bank_transfers_seconds_bucket{"), "a latency histogram");
        assertTrue(after.contains("agroal_active_count"), "active pool connections");
        assertTrue(after.contains("agroal_awaiting_count"), "requests waiting for a pool connection");
    }

    @Test
    @SuppressWarnings("unchecked")
    void openApiDescribesEveryEndpointStatusAndProblemType() {
        JsonPath openApi = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();

        assertTrue(openApi.getMap("paths").keySet().containsAll(List.of("/accounts", "/accounts/{id}",
                "/accounts/{id}/transfers", "/transfers/pessimistic", "/transfers/optimistic", "/transfers/batched",
                "/transfers/{id}", "/audit")));
        assertFalse(openApi.getMap("paths").containsKey("/transfers/{strategy}"), "the same path as /transfers/{id}");
        // What each strategy declares (TransferStrategy.conflicts, queues), as the document must list it.
        Set<String> locking = Set.of("/problems/lock-timeout", "/problems/deadlock", "/problems/serialization-failure");
        Map<String, Set<String>> conflictsByStrategy = Map.of("pessimistic", locking, "batched", locking,
                "optimistic", Set.of("/problems/retries-exhausted", "/problems/lock-timeout"));
        conflictsByStrategy.forEach((strategy, declared) -> Stream.of("/transfers/", "/holds/").forEach(route -> {
            String where = route + strategy;
            String responses = "paths.'" + where + "'.post.responses";
            assertEquals(Set.of("200", "201", "400", "401", "404", "409", "413", "415", "422", "503"),
                    openApi.getMap(responses).keySet(), where);
            Set<String> conflicts = new HashSet<>(named(openApi.getString(responses + ".409.description")));
            assertTrue(conflicts.remove(ProblemType.IDEMPOTENCY_KEY_IN_PROGRESS.type()), where);
            assertEquals(declared, conflicts, "the races " + where + " can lose and answer");
            assertEquals(strategy.equals("batched"), named(openApi.getString(responses + ".503.description"))
                    .contains(ProblemType.TRANSFER_QUEUE_FULL.type()), where);
        }));
        // Every operation requires the bearer scheme and answers 401; only the teller's and auditor's actions, and a
        // hold's void (its sender's alone, though its receiver sees it), 403.
        Map<String, Map<String, Map<String, Object>>> paths = openApi.getMap("paths");
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            String where = method + " " + path;
            assertEquals(List.of(Map.of("bearer", List.of())), operation.get("security"), where);
            Set<String> statuses = ((Map<String, Object>) operation.get("responses")).keySet();
            assertTrue(statuses.contains("401"), where);
            assertEquals(Set.of("post /accounts", "get /audit", "post /holds/{id}/void").contains(where),
                    statuses.contains("403"), where);
        }));
        assertEquals("bearer", openApi.getString("components.securitySchemes.bearer.scheme"));
        List<String> catalogue = Arrays.stream(ProblemType.values()).map(ProblemType::type).toList();
        assertEquals(catalogue, openApi.getList("components.schemas.Problem.properties.type.enum"));
        Matcher mentioned = Pattern.compile("/problems/[a-z-]+").matcher(openApi.prettify());
        while (mentioned.find()) {
            assertTrue(catalogue.contains(mentioned.group()), mentioned.group() + " is not in the catalogue");
        }
    }

    /** The problem types an answer's description names. */
    private static List<String> named(String description) {
        return Pattern.compile("/problems/[a-z-]+").matcher(description).results().map(MatchResult::group).toList();
    }
}
