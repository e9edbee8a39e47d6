package org.acme.bank.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.ContractProxy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the published document, its successes and its refusals, sent through Prism's validation proxy to
 * the packaged service: no request and no answer may break the document. Money goes both ways the document allows, a
 * number and a decimal string.
 */
@QuarkusIntegrationTest
class ContractProxyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> violations = new ArrayList<>();

    @Test
    void aScenarioOfEveryOperationKeepsToTheDocument() throws Exception {
        if (!ContractProxy.available()) {
            String skipped = "SKIPPED ContractProxyIT: no npx. Install Node.js (apt-get install nodejs npm; .ci/run "
                    + "needs it for Redocly too) to check the service against its OpenAPI document with Prism.";
            System.out.println(skipped);
            Assumptions.abort(skipped);
        }
        URI service = URI.create(RestAssured.baseURI + ":" + RestAssured.port);
        try (ContractProxy prism = ContractProxy.start(Path.of("docs", "openapi.yaml"), service)) {
            Bank bank = Bank.at(prism.uri());
            Bank asAlice = bank.asCustomer("Alice");

            long alice = check(bank.post("/accounts", "{\"owner\":\"Alice\",\"balance\":100.25}", Map.of()), 201).id();
            long bob = check(bank.post("/accounts", "{\"owner\":\"Bob\",\"balance\":\"0.29\"}", Map.of()), 201).id();
            long carol = check(bank.post("/accounts", "{\"owner\":\"Carol\"}", Map.of()), 201).id();
            check(bank.get("/accounts?page=0&size=2"), 200);
            check(bank.get("/accounts/" + alice), 200);

            String numeric = "{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":0.29}";
            String decimalString = "{\"from\":" + alice + ",\"to\":" + carol + ",\"amount\":\"10.07\"}";
            // Below 2^53: Prism parses and writes bodies again as JavaScript numbers.
            long missing = 999_999_999_999L;
            long first = check(asAlice.post("/transfers/pessimistic", numeric, Map.of()), 201).id();
            check(asAlice.post("/transfers/optimistic", decimalString, Map.of()), 201);
            Map<String, String> keyed = Map.of("Idempotency-Key", "contract-" + alice);
            check(asAlice.post("/transfers/batched", numeric, keyed), 201);
            check(asAlice.post("/transfers/batched", numeric, keyed), 200);
            check(bank.get("/transfers/" + first), 200);
            check(bank.get("/accounts/" + alice + "/transfers?size=2"), 200);
            check(bank.get("/accounts/" + alice + "/transfers?before=" + first), 200);
            check(bank.get("/audit"), 200);
            String legs = "{\"legs\":[" + numeric + "," + decimalString + "]}";
            long transaction = check(asAlice.post("/transactions/pessimistic", legs, Map.of()), 201).json()
                    .get("id").asLong();
            check(asAlice.post("/transactions/optimistic", legs, Map.of()), 201);
            check(asAlice.post("/transactions/batched", legs, Map.of("Idempotency-Key", "contract-tx-" + alice)), 201);
            check(asAlice.post("/transactions/batched", legs, Map.of("Idempotency-Key", "contract-tx-" + alice)), 200);
            check(bank.get("/transactions/" + transaction), 200);
            check(asAlice.post("/transfers/bulk", "{\"transfers\":[" + numeric + ",{\"from\":" + alice + ",\"to\":"
                    + bob + ",\"amount\":\"0.01\",\"idempotencyKey\":\"bulk-" + alice + "\"}," + "{\"from\":"
                    + bob + ",\"to\":" + alice + ",\"amount\":1}]}", Map.of()), 200);
            check(asAlice.post("/transactions/pessimistic", "{\"legs\":[" + numeric + ",{\"from\":" + alice
                    + ",\"to\":" + bob + ",\"amount\":\"1000.00\"}]}", Map.of()), 422);
            check(bank.get("/transactions/" + missing), 404);

            String hold = "{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":\"2.00\",\"expiresIn\":";
            long held = check(asAlice.post("/holds/pessimistic", hold + "60}", Map.of()), 201).id();
            Map<String, String> holdKey = Map.of("Idempotency-Key", "contract-hold-" + alice);
            long voided = check(asAlice.post("/holds/optimistic", hold + "\"PT1H\"}", holdKey), 201).id();
            check(asAlice.post("/holds/optimistic", hold + "\"PT1H\"}", holdKey), 200);
            check(asAlice.get("/holds/" + held), 200);
            check(bank.asCustomer("Bob").post("/holds/" + held + "/post", "{\"amount\":1.5}", Map.of()), 201);
            check(asAlice.post("/holds/" + held + "/post", "", Map.of()), 409);
            check(asAlice.post("/holds/" + voided + "/void", "", Map.of()), 200);
            check(asAlice.post("/holds/" + voided + "/void", "", Map.of()), 409);
            check(bank.asCustomer("Bob").post("/holds/" + voided + "/void", "", Map.of()), 403);
            check(asAlice.post("/holds/pessimistic", "{\"from\":" + alice + ",\"to\":" + bob
                    + ",\"amount\":\"9999.00\",\"expiresIn\":60}", Map.of()), 422);
            check(asAlice.get("/holds/" + missing), 404);
            check(asAlice.get("/accounts/" + alice + "/balance"), 200);
            check(asAlice.get("/accounts/" + alice + "/balance?asOf=2000-01-01T00:00:00Z"), 400);
            check(asAlice.get("/accounts/" + alice + "/statement?size=2"), 200);
            check(bank.get("/audit?full=true"), 200);

            check(bank.asCustomer("Bob").post("/transfers/pessimistic", "{\"from\":" + bob + ",\"to\":" + alice
                    + ",\"amount\":\"99.00\"}", Map.of()), 422);
            check(asAlice.post("/transfers/pessimistic", "{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":\"1.00\"}",
                    keyed), 422);
            check(asAlice.post("/transfers/optimistic", "{\"from\":" + alice + ",\"to\":" + missing + ",\"amount\":1}",
                    Map.of()), 404);
            check(bank.get("/accounts/" + missing), 404);
            check(bank.get("/transfers/" + missing), 404);
            check(asAlice.post("/transfers/pessimistic", "{\"from\":" + bob + ",\"to\":" + alice
                    + ",\"amount\":\"0.01\"}", Map.of()), 404);
            check(asAlice.get("/audit"), 403);
            check(asAlice.post("/accounts", "{\"balance\":5}", Map.of()), 403);
            checkWithoutCredentials(bank.as(null).get("/accounts"));
            check(bank.as("not.a.token").post("/transfers/batched", numeric, Map.of()), 401);
        }

        assertTrue(violations.isEmpty(), "requests or answers that break docs/openapi.yaml:\n"
                + String.join("\n", violations));
    }

    /**
     * A request sent without a token on purpose: Prism reports the missing credentials (its request breaks the security
     * requirement, which is the point); anything else it finds, in the 401 answer above all, counts.
     */
    private void checkWithoutCredentials(Answer answer) throws Exception {
        assertEquals(401, answer.status(), answer.body());
        Optional<String> found = answer.header(ContractProxy.VIOLATIONS);
        if (found.isPresent()) {
            List<JsonNode> others = new ArrayList<>();
            for (JsonNode violation : JSON.readTree(found.get())) {
                boolean missingCredentials = violation.path("location").path(0).asText().equals("request")
                        && violation.path("code").asInt() == 401;
                if (!missingCredentials) {
                    others.add(violation);
                }
            }
            if (!others.isEmpty()) {
                violations.add("401 " + others);
            }
        }
    }

    /** The answer has the status the scenario expects, and Prism found nothing in it or its request to object to. */
    private Answer check(Answer answer, int status) {
        assertEquals(status, answer.status(), answer.body());
        answer.header(ContractProxy.VIOLATIONS).ifPresent(found -> violations.add(answer.status() + " " + found));
        return answer;
    }
}
