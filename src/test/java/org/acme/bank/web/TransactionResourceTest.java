package org.acme.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Books;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Multi-leg transactions through the API: all legs or none, in every strategy. */
@QuarkusTest
class TransactionResourceTest {

    private final Bank bank = Bank.app();

    private static String legs(Object... fromToAmount) {
        List<String> legs = new ArrayList<>();
        for (int i = 0; i < fromToAmount.length; i += 3) {
            legs.add("{\"from\":" + fromToAmount[i] + ",\"to\":" + fromToAmount[i + 1] + ",\"amount\":\""
                    + fromToAmount[i + 2] + "\"}");
        }
        return "{\"legs\":[" + String.join(",", legs) + "]}";
    }

    private Answer transact(String strategy, String owner, String body) {
        return bank.asCustomer(owner).post("/transactions/" + strategy, body, Map.of());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched", "naive"})
    void appliesEveryLegInOrderAndNamesTheTransactionInEachLedgerRow(String strategy) {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");
        long fees = bank.openAccount("Bank", "0.00");

        Answer answer = transact(strategy, "Alice", legs(alice, bob, "60.00", alice, fees, "0.50"))
                .expect(201).expectHeaderMatching("Location", "/transactions/\\d+").expectField("strategy", strategy);
        JsonNode transaction = answer.json();
        long id = transaction.get("id").asLong();
        JsonNode legs = transaction.get("legs");
        assertEquals(2, legs.size(), answer.body());
        assertEquals(id, legs.get(0).get("id").asLong(), "the transaction's id is its first leg's");
        for (JsonNode leg : legs) {
            assertEquals(id, leg.get("transactionId").asLong(), answer.body());
            assertEquals(strategy, leg.get("strategy").asText(), answer.body());
        }
        assertEquals(bob, legs.get(0).get("to").asLong());
        assertEquals(fees, legs.get(1).get("to").asLong());

        assertEquals(new BigDecimal("39.50"), bank.balance(alice));
        assertEquals(new BigDecimal("60.00"), bank.balance(bob));
        assertEquals(new BigDecimal("0.50"), bank.balance(fees));
        assertEquals(transaction, bank.asCustomer("Alice").getJson("/transactions/" + id));
        JsonNode history = bank.getJson("/accounts/" + fees + "/transfers");
        assertEquals(id, history.get(0).get("transactionId").asLong(), history.toString());
        Books.assertAuditConsistent(bank);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched", "naive"})
    void legsThatTogetherOverdrawAreRefusedAndNothingApplies(String strategy) {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");
        long carol = bank.openAccount("Carol", "0.00");

        Answer refused = transact(strategy, "Alice", legs(alice, bob, "70.00", alice, carol, "40.00"))
                .expectProblem(422, "/problems/insufficient-funds").expectField("leg", "1");
        assertTrue(refused.json().get("detail").asText().startsWith("legs[1]: "), refused.body());

        assertEquals(new BigDecimal("100.00"), bank.balance(alice));
        assertEquals(new BigDecimal("0.00"), bank.balance(bob));
        assertEquals(0, bank.transferCount(alice));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched", "naive"})
    void aLegFromAnotherOrAMissingAccountIsNotFoundAndNothingApplies(String strategy) {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "100.00");

        transact(strategy, "Alice", legs(alice, bob, "1.00", bob, alice, "1.00"))
                .expectProblem(404, "/problems/account-not-found").expectField("leg", "1");
        transact(strategy, "Alice", legs(alice, bob, "1.00", alice, 999_999_999, "1.00"))
                .expectProblem(404, "/problems/account-not-found").expectField("leg", "1");

        assertEquals(new BigDecimal("100.00"), bank.balance(alice));
        assertEquals(new BigDecimal("100.00"), bank.balance(bob));
        assertEquals(0, bank.transferCount(alice));
    }

    @Test
    void anAccountMayReceiveInOneLegWhatItSendsInALaterOne() {
        long alice = bank.openAccount("Alice", "0.00");
        long savings = bank.openAccount("Alice", "50.00");
        long bob = bank.openAccount("Bob", "0.00");

        transact("pessimistic", "Alice", legs(savings, alice, "50.00", alice, bob, "50.00")).expect(201);

        assertEquals(new BigDecimal("0.00"), bank.balance(alice));
        assertEquals(new BigDecimal("50.00"), bank.balance(bob));
    }

    @Test
    void badLegsAre400AndNothingApplies() {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");

        transact("pessimistic", "Alice", "{\"legs\":[]}").expectProblem(400, "/problems/invalid-request");
        transact("pessimistic", "Alice", legs(alice, bob, "1.00")).expectProblem(400, "/problems/invalid-request");
        Object[] seventeen = new Object[17 * 3];
        for (int i = 0; i < 17; i++) {
            seventeen[3 * i] = alice;
            seventeen[3 * i + 1] = bob;
            seventeen[3 * i + 2] = "1.00";
        }
        transact("pessimistic", "Alice", legs(seventeen)).expectProblem(400, "/problems/invalid-request");
        Answer toItself = transact("pessimistic", "Alice", legs(alice, bob, "1.00", alice, alice, "1.00"))
                .expectProblem(400, "/problems/invalid-request");
        assertEquals("legs[1].distinctAccounts", toItself.json().get("violations").get(0).get("field").asText(),
                toItself.body());
        Answer zero = transact("pessimistic", "Alice", legs(alice, bob, "0.00", alice, bob, "0"))
                .expectProblem(400, "/problems/invalid-request");
        assertEquals("legs[0].amount", zero.json().get("violations").get(0).get("field").asText(), zero.body());
        assertEquals("legs[1].amount", zero.json().get("violations").get(1).get("field").asText(), zero.body());
        transact("pessimistic", "Alice", "{}").expectProblem(400, "/problems/invalid-request");
        transact("pessimistic", "Alice", "{\"legs\":[null,null]}").expectProblem(400, "/problems/invalid-request");
        Answer unknown = transact("pessimistic", "Alice", "{\"legs\":[{\"from\":1,\"to\":2,\"amount\":1},"
                + "{\"from\":1,\"to\":2,\"amount\":1,\"x\":1}]}").expectProblem(400, "/problems/invalid-request");
        assertEquals("legs[1].x", unknown.json().get("violations").get(0).get("field").asText(), unknown.body());
        transact("pessimistic", "Alice", "[").expectProblem(400, "/problems/malformed-json");
        transact("telepathic", "Alice", legs(alice, bob, "1.00", alice, bob, "1.00"))
                .expectProblem(404, "/problems/unknown-strategy");

        assertEquals(new BigDecimal("100.00"), bank.balance(alice));
        assertEquals(0, bank.transferCount(alice));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched"})
    void oneKeyCoversTheWholeTransaction(String strategy) {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");
        long carol = bank.openAccount("Carol", "0.00");
        String body = legs(alice, bob, "10.00", alice, carol, "5.00");
        Map<String, String> key = Map.of("Idempotency-Key", "split-" + strategy + "-" + alice);

        Answer first = bank.asCustomer("Alice").post("/transactions/" + strategy, body, key).expect(201);
        Answer repeat = bank.asCustomer("Alice").post("/transactions/" + strategy, body, key).expect(200)
                .expectHeader("Idempotent-Replayed", "true");
        assertEquals(first.json(), repeat.json());
        bank.asCustomer("Alice").post("/transactions/" + strategy, legs(alice, bob, "10.00", alice, carol, "6.00"), key)
                .expectProblem(422, "/problems/idempotency-key-reused");
        bank.asCustomer("Alice").post("/transfers/" + strategy, "{\"from\":" + alice + ",\"to\":" + bob
                + ",\"amount\":10}", key).expectProblem(422, "/problems/idempotency-key-reused");

        assertEquals(new BigDecimal("85.00"), bank.balance(alice));
        assertEquals(2, bank.transferCount(alice));
    }

    @Test
    void aTransactionIsSeenByWhoMadeItAndByStaffAReceiverSeesOnlyTheirLeg() {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");
        long carol = bank.openAccount("Carol", "0.00");
        JsonNode transaction = transact("pessimistic", "Alice", legs(alice, bob, "10.00", alice, carol, "5.00"))
                .expect(201).json();
        long id = transaction.get("id").asLong();

        bank.asCustomer("Bob").get("/transactions/" + id).expectProblem(404, "/problems/transaction-not-found");
        bank.asCustomer("Bob").get("/transfers/" + id).expect(200).expectField("transactionId", String.valueOf(id));
        bank.asCustomer("Bob").get("/transfers/" + transaction.get("legs").get(1).get("id").asLong())
                .expectProblem(404, "/problems/transfer-not-found");
        bank.get("/transactions/" + id).expect(200);
        bank.get("/transactions/" + (id + 1)).expectProblem(404, "/problems/transaction-not-found");
        bank.get("/transactions/999999999").expectProblem(404, "/problems/transaction-not-found");
    }
}
