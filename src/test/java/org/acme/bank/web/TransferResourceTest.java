package org.acme.bank.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.acme.bank.support.Bank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The transfer API of the two strategies that production runs. */
@QuarkusTest
class TransferResourceTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched"})
    void movesMoneyAndWritesTheLedger(String strategy) {
        long alice = Bank.openAccount("Alice", "100.00");
        long bob = Bank.openAccount("Bob", "50.00");

        String body = Bank.transfer(strategy, alice, bob, "30.25")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", matchesPattern(".*/transfers/\\d+"))
                .body("from", equalTo((int) alice))
                .body("to", equalTo((int) bob))
                .body("strategy", equalTo(strategy))
                .body("attempts", equalTo(1))
                .body("createdAt", endsWith("Z"))
                .extract().asString();
        assertTrue(body.contains("\"amount\":30.25"), body);

        assertEquals(new BigDecimal("69.75"), Bank.balance(alice));
        assertEquals(new BigDecimal("80.25"), Bank.balance(bob));
        long transferId = JsonPath.from(body).getLong("id");
        given().get("/transfers/{id}", transferId)
                .then().statusCode(200)
                .body("id", equalTo((int) transferId))
                .body("createdAt", equalTo(JsonPath.from(body).getString("createdAt")));
        given().get("/accounts/{id}", alice).then().body("version", equalTo(1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched"})
    void movesMoneyInTheDirectionAskedWhateverTheIdOrder(String strategy) {
        long lower = Bank.openAccount("Lower", "10.00");
        long higher = Bank.openAccount("Higher", "10.00");

        Bank.transfer(strategy, higher, lower, "4.00").then().statusCode(201);

        assertEquals(new BigDecimal("14.00"), Bank.balance(lower));
        assertEquals(new BigDecimal("6.00"), Bank.balance(higher));
    }

    @Test
    void acceptsMoneyAsANumericString() {
        long alice = Bank.openAccount("Alice", "10.00");
        long bob = Bank.openAccount("Bob", "0.00");

        given().contentType(ContentType.JSON)
                .body("{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":\"2.5\"}")
                .post("/transfers/pessimistic")
                .then().statusCode(201);

        assertEquals(new BigDecimal("2.50"), Bank.balance(bob));
    }

    @Test
    void historyListsAnAccountsTransfersNewestFirst() {
        long alice = Bank.openAccount("Alice", "100.00");
        long bob = Bank.openAccount("Bob", "100.00");
        long carol = Bank.openAccount("Carol", "100.00");
        long first = Bank.transfer("pessimistic", alice, bob, "1.00").then().extract().jsonPath().getLong("id");
        long second = Bank.transfer("optimistic", carol, alice, "2.00").then().extract().jsonPath().getLong("id");
        Bank.transfer("pessimistic", bob, carol, "3.00").then().statusCode(201);

        List<Long> ids = given().get("/accounts/{id}/transfers", alice)
                .then().statusCode(200).extract().jsonPath().getList("id", Long.class);
        assertEquals(List.of(second, first), ids);
        given().queryParam("size", 1).queryParam("page", 1).get("/accounts/{id}/transfers", alice)
                .then().statusCode(200).body("id", equalTo(List.of((int) first)));
    }

    /** {@code idempotencyKey} in the body is not the header: dropped in silence, a retry would move the money twice. */
    @Test
    void anUnknownPropertyIsRefusedByNameAndMovesNothing() {
        long alice = Bank.openAccount("Alice", "10.00");
        long bob = Bank.openAccount("Bob", "0.00");

        given().contentType(ContentType.JSON)
                .body("{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":5,\"idempotencyKey\":\"k\"}")
                .post("/transfers/pessimistic")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-request"))
                .body("violations[0].field", equalTo("idempotencyKey"));

        assertEquals(new BigDecimal("10.00"), Bank.balance(alice));
        assertEquals(0, Bank.transferCount(alice));
    }

    @Test
    void historyOfAnUnknownAccountIsNotFound() {
        given().get("/accounts/{id}/transfers", Long.MAX_VALUE)
                .then().statusCode(404).body("type", equalTo("/problems/account-not-found"));
    }

    @Test
    void anUnknownTransferIsNotFound() {
        given().get("/transfers/{id}", Long.MAX_VALUE)
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/transfer-not-found"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched"})
    void insufficientFundsChangeNothing(String strategy) {
        long alice = Bank.openAccount("Alice", "10.00");
        long bob = Bank.openAccount("Bob", "0.00");

        Bank.transfer(strategy, alice, bob, "10.01")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/insufficient-funds"))
                .body("status", equalTo(422));

        assertUntouched(alice, "10.00");
        assertUntouched(bob, "0.00");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched"})
    void anUnknownAccountOnEitherSideIsNotFoundAndChangesNothing(String strategy) {
        long alice = Bank.openAccount("Alice", "10.00");

        Bank.transfer(strategy, alice, Long.MAX_VALUE, "1.00")
                .then().statusCode(404).body("type", equalTo("/problems/account-not-found"));
        Bank.transfer(strategy, Long.MAX_VALUE, alice, "1.00")
                .then().statusCode(404).body("type", equalTo("/problems/account-not-found"));

        assertUntouched(alice, "10.00");
    }

    @Test
    void aBalanceCannotGrowPastTheLimit() {
        long rich = Bank.openAccount("Rich", "999999999999999.00");
        long alice = Bank.openAccount("Alice", "10.00");

        Bank.transfer("pessimistic", alice, rich, "1.00")
                .then().statusCode(422).body("type", equalTo("/problems/balance-limit-exceeded"));

        assertUntouched(alice, "10.00");
    }

    @Test
    void anUnknownStrategyIsNotFound() {
        long alice = Bank.openAccount("Alice", "10.00");
        long bob = Bank.openAccount("Bob", "10.00");

        Bank.transfer("yolo", alice, bob, "1.00")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/unknown-strategy"));

        assertUntouched(alice, "10.00");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"from\":1,\"to\":1,\"amount\":1}",
            "{\"from\":1,\"to\":2,\"amount\":0}",
            "{\"from\":1,\"to\":2,\"amount\":-0.0}",
            "{\"from\":1,\"to\":2,\"amount\":-5}",
            "{\"from\":1,\"to\":2,\"amount\":0.001}",
            "{\"from\":1,\"to\":2,\"amount\":1e15}",
            "{\"from\":1,\"to\":2,\"amount\":1000000000000000.00}",
            "{\"from\":1,\"to\":2,\"amount\":\"lots\"}",
            "{\"from\":1,\"to\":2}",
            "{\"to\":2,\"amount\":1}",
            "{\"from\":1,\"amount\":1}",
            "{\"from\":0,\"to\":2,\"amount\":1}",
            "{\"from\":-1,\"to\":2,\"amount\":1}",
            "{\"from\":1.5,\"to\":2,\"amount\":1}",
            "{\"from\":\"one\",\"to\":2,\"amount\":1}",
            "{\"from\":99999999999999999999,\"to\":2,\"amount\":1}",
            "{\"from\":1,\"to\":2,\"amount\":1,\"amount\":900}",
            "{\"from\":1,\"to\":2,\"amount\":1} trailing",
            "{\"from\":1,\"to\":2,\"amount\":",
            "[{\"from\":1,\"to\":2,\"amount\":1}]",
            "null",
            "42",
            ""})
    void refusesAnInvalidTransfer(String body) {
        given().contentType(ContentType.JSON).body(body)
                .post("/transfers/pessimistic")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("type", not(equalTo(null)))
                .body("detail", not(containsString("java.")))
                .body("detail", not(containsString("Exception")));
    }

    /** Exponents at the edge of a BigDecimal's scale, as numbers and as strings: out of range, so 400, never 500. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1e2147483647", "\"1e2147483647\"", "1E+2147483647", "-1e2147483647", "1e-2147483647",
            "\"1e-2147483647\"", "1e-2147483648", "1e2147483648", "9.99e2147483646"})
    void anAmountWithAnExtremeExponentIsInvalid(String amount) {
        long alice = Bank.openAccount("Alice", "10.00");
        long bob = Bank.openAccount("Bob", "0.00");

        given().contentType(ContentType.JSON).body("{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":" + amount + "}")
                .post("/transfers/pessimistic")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400));
        assertUntouched(alice, "10.00");
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupported() {
        given().contentType(ContentType.XML).body("<transfer/>")
                .post("/transfers/pessimistic")
                .then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void theAuditReportsConsistentBooks() {
        long alice = Bank.openAccount("Alice", "100.00");
        long bob = Bank.openAccount("Bob", "100.00");
        Bank.transfer("pessimistic", alice, bob, "7.00").then().statusCode(201);
        Bank.transfer("optimistic", bob, alice, "3.00").then().statusCode(201);

        JsonPath audit = Bank.audit();

        assertTrue(audit.getLong("accounts") >= 2);
        assertTrue(audit.getLong("transfers") >= 2);
        assertTrue(audit.<BigDecimal>get("total").compareTo(new BigDecimal("200.00")) >= 0);
        assertEquals(0, audit.getLong("negativeBalances"));
        assertEquals(0, audit.getLong("mismatchedAccounts"));
    }

    private static void assertUntouched(long account, String openingBalance) {
        assertEquals(new BigDecimal(openingBalance), Bank.balance(account));
        assertEquals(0, Bank.transferCount(account));
        given().get("/accounts/{id}", account).then().body("version", equalTo(0));
    }
}
