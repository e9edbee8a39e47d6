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
import org.acme.bank.support.Bank;
import org.acme.bank.support.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class AccountResourceTest {

    private final Bank bank = Bank.app();

    /**
     * An account opened for nobody's use: the next one's id is the one after it unless an account was opened (or an
     * insert tried) in between, whatever the number of accounts (the API lists 1000 at most).
     */
    private long marker() {
        return bank.openAccount("Marker", "0.00");
    }

    @Test
    void opensAnAccount() {
        String body = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"owner\":\"Alice\",\"balance\":100}")
                .post("/accounts")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", matchesPattern("/accounts/\\d+"))
                .body("owner", equalTo("Alice"))
                .body("version", equalTo(0))
                .extract().asString();

        assertTrue(body.contains("\"balance\":100.00"), "money is answered with two decimals: " + body);
    }

    @Test
    void theLocationLeadsToTheAccount() {
        String location = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"owner\":\"Bob\",\"balance\":\"12.50\"}")
                .post("/accounts")
                .then().statusCode(201).extract().header("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));

        given().auth().oauth2(Tokens.operator()).get("/accounts/{id}", id)
                .then().statusCode(200)
                .body("id", equalTo((int) id))
                .body("owner", equalTo("Bob"));
        assertEquals(new BigDecimal("12.50"), bank.balance(id));
    }

    @Test
    void theOpeningBalanceDefaultsToZero() {
        long id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"owner\":\"Carol\"}")
                .post("/accounts")
                .then().statusCode(201).extract().jsonPath().getLong("id");

        assertEquals(new BigDecimal("0.00"), bank.balance(id));
    }

    @Test
    void listsAccountsInIdOrderOnePageAtATime() {
        long first = bank.openAccount("Page one", "1.00");
        long second = bank.openAccount("Page two", "2.00");

        List<Long> ids = given().auth().oauth2(Tokens.operator()).queryParam("size", 1000).get("/accounts")
                .then().statusCode(200)
                .extract().jsonPath().getList("id", Long.class);
        assertTrue(ids.indexOf(first) < ids.indexOf(second) && ids.indexOf(first) >= 0);
        assertEquals(ids.stream().sorted().toList(), ids);

        int position = ids.indexOf(first);
        given().auth().oauth2(Tokens.operator()).queryParam("page", position).queryParam("size", 1).get("/accounts")
                .then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].id", equalTo((int) first));
    }

    @Test
    void anUnknownAccountIsNotFound() {
        given().auth().oauth2(Tokens.operator()).get("/accounts/{id}", Long.MAX_VALUE)
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/account-not-found"))
                .body("status", equalTo(404));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"owner\":\"\"}",
            "{\"owner\":\"   \"}",
            "{\"owner\":\"Dave\",\"balance\":-0.01}",
            "{\"owner\":\"Dave\",\"balance\":1.001}",
            "{\"owner\":\"Dave\",\"balance\":1000000000000000}",
            "{\"owner\":\"Dave\",\"balance\":1e2147483647}",
            "{\"owner\":\"Dave\",\"balance\":\"1e2147483647\"}",
            "{\"owner\":\"Dave\",\"balance\":1e-2147483647}",
            "{\"owner\":\"Dave\",\"balance\":\"ten\"}",
            "{\"owner\":\"Dave\",\"balance\":true}",
            "{\"owner\":[\"Dave\"]}",
            "{\"owner\":\"Da\\u0000ve\"}",
            "{\"owner\":\"Da\\u0007ve\"}",
            "{\"owner\":\"Dave\",\"balance\":1,\"balance\":2}",
            "{\"owner\":\"Dave\"",
            "[]",
            "null",
            "not json",
            ""})
    void refusesAnInvalidAccount(String body) {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body(body)
                .post("/accounts")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", not(containsString("Exception")))
                .body("detail", not(containsString("java.")));
    }

    /** A misspelt field would otherwise open the account with 0.00 as if the client had asked for it. */
    @Test
    void anUnknownPropertyIsRefusedByName() {
        long before = marker();

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"owner\":\"Opener\",\"openingBalance\":500}")
                .post("/accounts")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-request"))
                .body("detail", containsString("openingBalance"))
                .body("violations[0].field", equalTo("openingBalance"));

        assertEquals(before + 1, marker(), "no account opened");
    }

    @Test
    void anOwnerOfMoreThanTwoHundredFiftyFiveCharactersIsRefused() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"owner\":\"" + "x".repeat(256) + "\"}")
                .post("/accounts")
                .then().statusCode(400)
                .body("type", equalTo("/problems/invalid-request"))
                .body("violations[0].field", equalTo("owner"));
    }

    /**
     * An owner the database would not keep as sent (an unpaired surrogate becomes "?", and "Bob\\ud800" the same owner as
     * "Bob\\udc00"), or that no one can see: refused, nothing opened.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Bob\\ud800", "\\udc00", "Bob\\u0085", "\\u00a0", "\\u3000", "\\u200b", "\\ufeff", "\\u3164",
            "\\u2800", "\\ufe0f"})
    void anOwnerThatIsNotASubjectIsRefused(String escapedOwner) {
        long before = marker();

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"owner\":\"" + escapedOwner + "\"}")
                .post("/accounts")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-request"))
                .body("violations[0].field", equalTo("owner"));

        assertEquals(before + 1, marker(), "no account opened");
    }

    /** An owner is a JSON string: a number or a boolean is not taken for one. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"5", "5.5", "true"})
    void anOwnerThatIsNotAJsonStringIsRefused(String owner) {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"owner\":" + owner + "}")
                .post("/accounts")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/malformed-json"));
    }

    /** Characters, not UTF-16 units, are counted: 255 emoji are a subject, whose token reads the account. */
    @Test
    void aSubjectOfTwoHundredFiftyFiveCharactersBeyondTheBmpOwnsAnAccount() {
        String subject = "\ud83d\ude00".repeat(255);
        long id = bank.openAccount(subject, "5.00");

        assertEquals(subject, bank.asCustomer(subject).get("/accounts/" + id).expect(200).json().get("owner").asText());
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupported() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.TEXT).body("owner=Alice")
                .post("/accounts")
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/unsupported-media-type"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"page=-1", "size=0", "size=1001", "page=abc"})
    void refusesBadPaging(String query) {
        given().auth().oauth2(Tokens.operator()).get("/accounts?" + query)
                .then().statusCode(400)
                .contentType("application/problem+json");
    }

    @ParameterizedTest(name = "/accounts/{0}")
    @ValueSource(strings = {"0", "-1", "abc", "99999999999999999999"})
    void refusesAnIdOutOfRange(String id) {
        given().auth().oauth2(Tokens.operator()).get("/accounts/" + id)
                .then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void answersNumbersWithoutExponents() {
        long id = bank.openAccount("Rich", "999999999999999.99");

        String body = given().auth().oauth2(Tokens.operator()).get("/accounts/{id}", id).then().statusCode(200).extract().asString();
        assertTrue(body.contains("\"balance\":999999999999999.99"), body);
        assertEquals(new BigDecimal("999999999999999.99"), bank.balance(id));
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        given().auth().oauth2(Tokens.operator()).get("/nowhere").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.operator()).delete("/accounts").then().statusCode(405).contentType("application/problem+json");
        given().auth().oauth2(Tokens.operator()).get("/accounts/1/transfers/extra").then().statusCode(404)
                .body("type", endsWith("not-found"));
    }
}
