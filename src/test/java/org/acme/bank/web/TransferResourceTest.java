package org.acme.bank.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Tokens;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Books;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The transfer API of the two strategies that production runs. */
@QuarkusTest
class TransferResourceTest {

    private final Bank bank = Bank.app();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched"})
    void movesMoneyAndWritesTheLedger(String strategy) {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "50.00");

        Answer answer = bank.transfer(strategy, alice, bob, "30.25")
                .expect(201)
                .expectHeaderMatching("Content-Type", "application/json.*")
                .expectHeaderMatching("Location", "/transfers/\\d+")
                .expectField("from", String.valueOf(alice))
                .expectField("to", String.valueOf(bob))
                .expectField("strategy", strategy)
                .expectField("attempts", "1");
        assertTrue(answer.body().contains("\"amount\":30.25"), answer.body());
        assertTrue(answer.json().get("createdAt").asText().endsWith("Z"), answer.body());

        assertEquals(new BigDecimal("69.75"), bank.balance(alice));
        assertEquals(new BigDecimal("80.25"), bank.balance(bob));
        long transferId = answer.id();
        given().auth().oauth2(Tokens.operator()).get("/transfers/{id}", transferId)
                .then().statusCode(200)
                .body("id", equalTo((int) transferId))
                .body("createdAt", equalTo(answer.json().get("createdAt").asText()));
        given().auth().oauth2(Tokens.operator()).get("/accounts/{id}", alice).then().body("version", equalTo(1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched"})
    void movesMoneyInTheDirectionAskedWhateverTheIdOrder(String strategy) {
        long lower = bank.openAccount("Lower", "10.00");
        long higher = bank.openAccount("Higher", "10.00");

        bank.transfer(strategy, higher, lower, "4.00").expect(201);

        assertEquals(new BigDecimal("14.00"), bank.balance(lower));
        assertEquals(new BigDecimal("6.00"), bank.balance(higher));
    }

    @Test
    void acceptsMoneyAsADecimalString() {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");

        bank.asCustomer("Alice").post("/transfers/pessimistic", "{\"from\":" + alice + ",\"to\":" + bob
                + ",\"amount\":\"2.5\"}", Map.of()).expect(201).expectField("amount", "2.50");

        assertEquals(new BigDecimal("2.50"), bank.balance(bob));
    }

    /** Only plain decimal notation, as the API document declares; Jackson alone reads all of these as numbers. */
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", " 5", "5 ", "+5", "-5", "-0", ".5", "5.", "05", "1e1", "0x10", "5,00", "NaN", "Infinity"})
    void refusesAMoneyStringThatIsNotPlainDecimalNotation(String amount) {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");

        bank.post("/transfers/pessimistic", "{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":\"" + amount
                + "\"}", Map.of()).expectProblem(400, "/problems/malformed-json")
                .expectField("detail", "The value of 'amount' has the wrong type or format");

        assertUntouched(alice, "10.00");
    }

    /** Two keys in one request: which one the client meant is not the service's to pick. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched"})
    void refusesAnIdempotencyKeySentTwice(String strategy) {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");

        given().auth().oauth2(Tokens.customer("Alice")).contentType(ContentType.JSON)
                .header("Idempotency-Key", "first-" + alice).header("Idempotency-Key", "second-" + alice)
                .body("{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":1}")
                .post("/transfers/" + strategy)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-request"))
                .body("violations[0].field", equalTo("Idempotency-Key"));

        assertUntouched(alice, "10.00");
    }

    /** An account id is a JSON integer, as the document declares: a string that reads as one is not taken for it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"%d\"", "\" %d\"", "\"0%d\"", "\"\"", "\"  \"", "true"})
    void refusesAnAccountIdThatIsNotAJsonInteger(String template) {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");

        bank.asCustomer("Alice").post("/transfers/pessimistic", "{\"from\":" + template.formatted(alice) + ",\"to\":"
                + bob + ",\"amount\":1}", Map.of()).expectProblem(400, "/problems/malformed-json")
                .expectField("detail", "The value of 'from' has the wrong type or format");

        assertUntouched(alice, "10.00");
    }

    @Test
    void historyListsAnAccountsTransfersNewestFirst() {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "100.00");
        long carol = bank.openAccount("Carol", "100.00");
        long first = bank.transfer("pessimistic", alice, bob, "1.00").id();
        long second = bank.transfer("optimistic", carol, alice, "2.00").id();
        bank.transfer("pessimistic", bob, carol, "3.00").expect(201);

        List<Long> ids = given().auth().oauth2(Tokens.operator()).get("/accounts/{id}/transfers", alice)
                .then().statusCode(200).extract().jsonPath().getList("id", Long.class);
        assertEquals(List.of(second, first), ids);
        given().auth().oauth2(Tokens.operator()).queryParam("size", 1).queryParam("page", 1).get("/accounts/{id}/transfers", alice)
                .then().statusCode(200).body("id", equalTo(List.of((int) first)));
    }

    /** {@code idempotencyKey} in the body is not the header: dropped in silence, a retry would move the money twice. */
    @Test
    void anUnknownPropertyIsRefusedByNameAndMovesNothing() {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":5,\"idempotencyKey\":\"k\"}")
                .post("/transfers/pessimistic")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-request"))
                .body("violations[0].field", equalTo("idempotencyKey"));

        assertEquals(new BigDecimal("10.00"), bank.balance(alice));
        assertEquals(0, bank.transferCount(alice));
    }

    @Test
    void historyOfAnUnknownAccountIsNotFound() {
        given().auth().oauth2(Tokens.operator()).get("/accounts/{id}/transfers", Long.MAX_VALUE)
                .then().statusCode(404).body("type", equalTo("/problems/account-not-found"));
    }

    @Test
    void anUnknownTransferIsNotFound() {
        given().auth().oauth2(Tokens.operator()).get("/transfers/{id}", Long.MAX_VALUE)
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/transfer-not-found"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched"})
    void insufficientFundsChangeNothing(String strategy) {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");

        bank.transfer(strategy, alice, bob, "10.01")
                .expectProblem(422, "/problems/insufficient-funds")
                .expectField("status", "422");

        assertUntouched(alice, "10.00");
        assertUntouched(bob, "0.00");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched"})
    void anUnknownAccountOnEitherSideIsNotFoundAndChangesNothing(String strategy) {
        long alice = bank.openAccount("Alice", "10.00");

        bank.transfer(strategy, alice, Long.MAX_VALUE, "1.00")
                .expectProblem(404, "/problems/account-not-found");
        bank.transfer(strategy, Long.MAX_VALUE, alice, "1.00")
                .expectProblem(404, "/problems/account-not-found");

        assertUntouched(alice, "10.00");
    }

    @Test
    void aBalanceCannotGrowPastTheLimit() {
        long rich = bank.openAccount("Rich", "999999999999999.00");
        long alice = bank.openAccount("Alice", "10.00");

        bank.transfer("pessimistic", alice, rich, "1.00")
                .expectProblem(422, "/problems/balance-limit-exceeded");

        assertUntouched(alice, "10.00");
    }

    @Test
    void anUnknownStrategyIsNotFound() {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "10.00");

        bank.transfer("yolo", alice, bob, "1.00")
                .expectProblem(404, "/problems/unknown-strategy");

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
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body(body)
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
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":" + amount + "}")
                .post("/transfers/pessimistic")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400));
        assertUntouched(alice, "10.00");
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupported() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.XML).body("<transfer/>")
                .post("/transfers/pessimistic")
                .then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void theAuditReportsConsistentBooks() {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "100.00");
        bank.transfer("pessimistic", alice, bob, "7.00").expect(201);
        bank.transfer("optimistic", bob, alice, "3.00").expect(201);

        JsonNode audit = bank.audit();

        assertTrue(audit.get("accounts").asLong() >= 2);
        assertTrue(audit.get("transfers").asLong() >= 2);
        assertTrue(audit.get("total").decimalValue().compareTo(new BigDecimal("200.00")) >= 0);
        Books.assertAuditConsistent(bank);
    }

    private void assertUntouched(long account, String openingBalance) {
        assertEquals(new BigDecimal(openingBalance), bank.balance(account));
        assertEquals(0, bank.transferCount(account));
        given().auth().oauth2(Tokens.operator()).get("/accounts/{id}", account).then().body("version", equalTo(0));
    }
}
