package org.acme.bank.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Bank.Transfer;
import org.acme.bank.support.Metrics;
import org.acme.bank.support.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who may do what, over HTTP with signed tokens: authentication (401), object level (another's account, history or
 * transfer is not found: 404), function level (403), and idempotency keys per subject.
 */
@QuarkusTest
class AccessTest {

    private static final List<String> API = List.of("GET /accounts", "POST /accounts", "GET /accounts/1",
            "GET /accounts/1/transfers", "GET /transfers/1", "POST /transfers/pessimistic",
            "POST /transfers/optimistic", "POST /transfers/batched", "POST /transfers/naive", "POST /transfers/other",
            "GET /audit");

    private final Bank bank = Bank.app();

    @Test
    void everyOperationNeedsABearerToken() {
        Bank anonymous = bank.as(null);
        for (String operation : API) {
            String[] methodAndPath = operation.split(" ");
            Answer answer = methodAndPath[0].equals("GET") ? anonymous.get(methodAndPath[1])
                    : anonymous.post(methodAndPath[1], "{\"from\":1,\"to\":2,\"amount\":1}", Map.of());
            answer.expectProblem(401, "/problems/unauthorized").expectHeader("WWW-Authenticate", "Bearer");
        }
    }

    @Test
    void aTokenThatIsNotRightIsRefusedAndMovesNothing() {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");
        String before = Metrics.scrape();

        Map<String, String> defective = Tokens.defective("Alice");
        defective.forEach((defect, token) -> {
            Bank holder = bank.as(token);
            for (String strategy : List.of("pessimistic", "optimistic", "batched", "naive")) {
                Answer answer = holder.send(new Transfer(strategy, alice, bob, "1.00"));
                assertEquals(401, answer.status(), defect + ": " + answer.body());
                answer.expectProblem(401, "/problems/unauthorized")
                        .expectHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                assertTrue(!answer.body().contains(token.substring(0, Math.min(20, token.length()))), defect);
            }
            holder.get("/accounts/" + alice).expectProblem(401, "/problems/unauthorized");
        });

        assertEquals(new BigDecimal("10.00"), bank.balance(alice));
        assertEquals(0, bank.transferCount(alice));
        assertEquals(defective.size() * 5L, Metrics.delta(before, Metrics.scrape(), "bank_access_refusals_total",
                "status=\"401\""));
    }

    /** The token is judged before anything of the request: its body, its path, its query. */
    @Test
    void aMissingOrDefectiveTokenIsRefusedBeforeTheRequestIsRead() {
        String withoutSubject = Tokens.token("Alice").without("sub").sign();
        for (Bank caller : List.of(bank.as(null), bank.as(withoutSubject), bank.as("not.a.token"))) {
            caller.post("/transfers/pessimistic", "{\"from\":", Map.of()).expectProblem(401, "/problems/unauthorized");
            caller.post("/accounts", "[]", Map.of()).expectProblem(401, "/problems/unauthorized");
            caller.get("/accounts/abc").expectProblem(401, "/problems/unauthorized");
            caller.get("/accounts?size=0").expectProblem(401, "/problems/unauthorized");
        }
        given().header("Idempotency-Key", "first").header("Idempotency-Key", "second").contentType(ContentType.JSON)
                .body("{\"from\":1,\"to\":2,\"amount\":1}").post("/transfers/pessimistic")
                .then().statusCode(401).body("type", equalTo("/problems/unauthorized"));
    }

    /** RFC 7519's NumericDate may have a fraction: such an iat is read, not a failure of the service. */
    @Test
    void aTokenIssuedAtAFractionOfASecondIsAccepted() {
        String token = Tokens.token("Alice").set("iat", Instant.now().getEpochSecond() - 10.5).sign();
        bank.as(token).get("/accounts").expect(200);
    }

    /** Two Authorization headers name no one caller: a proxy that reads the other one would see someone else. */
    @Test
    void twoAuthorizationHeadersAreRefusedWhicheverComesFirst() {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");
        for (List<String> callers : List.of(List.of("Alice", "Bob"), List.of("Bob", "Alice"),
                List.of("Alice", "Alice"))) {
            given().header("Authorization", "Bearer " + Tokens.customer(callers.get(0)))
                    .header("Authorization", "Bearer " + Tokens.customer(callers.get(1))).contentType(ContentType.JSON)
                    .body("{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":1}").post("/transfers/pessimistic")
                    .then().statusCode(401).body("type", equalTo("/problems/unauthorized"))
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        assertEquals(new BigDecimal("10.00"), bank.balance(alice));
    }

    @Test
    void theSameTokenIsAcceptedAsTheReference() {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");

        bank.as(Tokens.token("Alice").sign()).send(new Transfer("pessimistic", alice, bob, "1.00")).expect(201);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched", "naive"})
    void onlyTheOwnerDebitsAnAccountWhateverTheRole(String strategy) {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "10.00");
        long missing = Long.MAX_VALUE - 1;

        for (String token : List.of(Tokens.customer("Bob"), Tokens.teller("Tess"), Tokens.auditor("Audrey"),
                Tokens.operator(), Tokens.customer("alice"))) {
            Answer forged = bank.as(token).send(new Transfer(strategy, alice, bob, "1.00"));
            Answer absent = bank.as(token).send(new Transfer(strategy, missing, bob, "1.00"));
            // Nothing said of the receiver before the sender: not even whether the sender exists.
            Answer forgedToNowhere = bank.as(token).send(new Transfer(strategy, alice, missing, "1.00"));
            Answer absentToNowhere = bank.as(token).send(new Transfer(strategy, missing - 1, missing, "1.00"));
            forged.expectProblem(404, "/problems/account-not-found");
            absent.expectProblem(404, "/problems/account-not-found");
            // The ids replaced where the detail names them: an id such as 4 is also in the status, 404.
            assertEquals(absent.body().replace("account " + missing, "account ID"),
                    forged.body().replace("account " + alice, "account ID"),
                    "another's account answers as a missing one");
            assertEquals(absentToNowhere.body().replace("account " + (missing - 1), "account ID"),
                    forgedToNowhere.body().replace("account " + alice, "account ID"), "the sender is judged first");
            // Even asking for more than the balance: refused for whose it is, not for the money.
            bank.as(token).send(new Transfer(strategy, alice, bob, "99.00")).expectProblem(404,
                    "/problems/account-not-found");
        }

        bank.send(new Transfer(strategy, alice, bob, "1.00")).expect(201);
        assertEquals(new BigDecimal("9.00"), bank.balance(alice));
        assertEquals(new BigDecimal("11.00"), bank.balance(bob));
        assertEquals(1, bank.transferCount(alice));
    }

    @Test
    void aCustomerSeesTheirOwnAccountsAndTransfersOnly() {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "10.00");
        long carol = bank.openAccount("Carol", "10.00");
        long toBob = bank.send(new Transfer("pessimistic", alice, bob, "1.00")).expect(201).id();
        long bobToCarol = bank.send(new Transfer("pessimistic", bob, carol, "1.00")).expect(201).id();
        Bank asAlice = bank.asCustomer("Alice");

        asAlice.get("/accounts/" + alice).expect(200);
        asAlice.get("/accounts/" + alice + "/transfers").expect(200);
        asAlice.get("/transfers/" + toBob).expect(200);
        bank.asCustomer("Bob").get("/transfers/" + toBob).expect(200);
        asAlice.get("/accounts/" + bob).expectProblem(404, "/problems/account-not-found");
        asAlice.get("/accounts/" + bob + "/transfers").expectProblem(404, "/problems/account-not-found");
        asAlice.get("/transfers/" + bobToCarol).expectProblem(404, "/problems/transfer-not-found");

        JsonNode listed = asAlice.getJson("/accounts?size=1000");
        assertTrue(listed.size() > 0);
        assertTrue(StreamSupport.stream(listed.spliterator(), false)
                .allMatch(account -> account.get("owner").asText().equals("Alice")), listed.toString());
        for (String reader : List.of(Tokens.teller("Tess"), Tokens.auditor("Audrey"))) {
            bank.as(reader).get("/accounts/" + bob).expect(200);
            bank.as(reader).get("/transfers/" + bobToCarol).expect(200);
            assertTrue(bank.as(reader).getJson("/accounts?size=1000").size() >= 3);
        }
    }

    @Test
    void theAuditIsTheAuditorsAlone() {
        String before = Metrics.scrape();

        bank.asCustomer("Alice").get("/audit").expectProblem(403, "/problems/forbidden");
        bank.as(Tokens.teller("Tess")).get("/audit").expectProblem(403, "/problems/forbidden");
        bank.as(Tokens.auditor("Audrey")).get("/audit").expect(200);
        // Keycloak's own roles change nothing.
        bank.as(Tokens.token("Alice").groups("default-roles-bank", "offline_access").sign()).get("/audit")
                .expectProblem(403, "/problems/forbidden");
        assertEquals(3, Metrics.delta(before, Metrics.scrape(), "bank_access_refusals_total", "status=\"403\""));
    }

    @Test
    void rolesAreReadFromKeycloaksRealmRolesToo() {
        String keycloakAuditor = Tokens.token("Kay").set("realm_access", "ignored").sign();
        bank.as(keycloakAuditor).get("/audit").expectProblem(403, "/problems/forbidden");
        Tokens.Claims claims = Tokens.token("Kay");
        claims.json().putObject("realm_access").putArray("roles").add("auditor").add("default-roles-bank");
        bank.as(claims.sign()).get("/audit").expect(200);
    }

    @Test
    void aCustomerOpensEmptyAccountsForThemselvesAndATellerFundsThem() {
        Bank asErin = bank.asCustomer("Erin");

        asErin.post("/accounts", "{}", Map.of()).expect(201).expectField("owner", "Erin").expectField("balance", "0.00");
        asErin.post("/accounts", "{\"owner\":\"Erin\",\"balance\":0}", Map.of()).expect(201);
        asErin.post("/accounts", "{\"balance\":0.01}", Map.of()).expectProblem(403, "/problems/forbidden");
        asErin.post("/accounts", "{\"owner\":\"Frank\"}", Map.of()).expectProblem(403, "/problems/forbidden");
        bank.as(Tokens.auditor("Audrey")).post("/accounts", "{\"owner\":\"Frank\",\"balance\":5}", Map.of())
                .expectProblem(403, "/problems/forbidden");
        bank.as(Tokens.teller("Tess")).post("/accounts", "{\"owner\":\"Frank\",\"balance\":5}", Map.of()).expect(201)
                .expectField("owner", "Frank").expectField("balance", "5.00");
        assertEquals(0, bank.as(Tokens.customer("Frank")).getJson("/accounts").size() - 1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched"})
    void anIdempotencyKeyIsTheSubjectsOwn(String strategy) {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "10.00");
        String key = "shared-" + strategy + "-" + alice;

        long alicesTransfer = bank.send(new Transfer(strategy, alice, bob, new BigDecimal("1.00"), key)).expect(201).id();
        // Alice's key with Alice's very request, sent by Bob: not a replay of her transfer, and not his to send.
        bank.asCustomer("Bob").send(new Transfer(strategy, alice, bob, new BigDecimal("1.00"), key))
                .expectProblem(404, "/problems/account-not-found");
        Answer bobs = bank.send(new Transfer(strategy, bob, alice, new BigDecimal("2.00"), key)).expect(201);
        Answer bobsRepeat = bank.send(new Transfer(strategy, bob, alice, new BigDecimal("2.00"), key)).expect(200)
                .expectHeader("Idempotent-Replayed", "true");
        bank.send(new Transfer(strategy, alice, bob, new BigDecimal("1.00"), key)).expect(200)
                .expectField("id", String.valueOf(alicesTransfer));

        assertTrue(bobs.id() != alicesTransfer);
        assertEquals(bobs.id(), bobsRepeat.id());
        assertEquals(new BigDecimal("11.00"), bank.balance(alice));
        assertEquals(new BigDecimal("9.00"), bank.balance(bob));
    }

    @Test
    void thePageTheDocumentAndHealthNeedNoToken() {
        Bank anonymous = bank.as(null);
        anonymous.get("/").expect(200);
        anonymous.get("/lab.js").expect(200);
        anonymous.get("/q/openapi").expect(200);
        Bank.at(Metrics.management()).as(null).get("/q/health/ready").expect(200);
    }
}
