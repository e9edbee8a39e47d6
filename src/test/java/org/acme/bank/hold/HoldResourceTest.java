package org.acme.bank.hold;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Books;
import org.acme.bank.support.RowLock;
import org.acme.bank.support.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two-phase transfers through the API: reserve, then post (in full or in part) or void, once; or expire. */
@QuarkusTest
class HoldResourceTest {

    private final Bank bank = Bank.app();

    @Inject
    HoldExpiry expiry;

    @Inject
    DataSource dataSource;

    private static String hold(long from, long to, String amount, String expiresIn) {
        return "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":\"" + amount + "\",\"expiresIn\":" + expiresIn + "}";
    }

    private Answer place(String strategy, String owner, String body) {
        return place(strategy, owner, body, Map.of());
    }

    private Answer place(String strategy, String owner, String body, Map<String, String> headers) {
        return bank.asCustomer(owner).post("/holds/" + strategy, body, headers);
    }

    private Answer post(String caller, long hold, String body) {
        return bank.asCustomer(caller).post("/holds/" + hold + "/post", body, Map.of());
    }

    private Answer voidHold(String caller, long hold) {
        return bank.asCustomer(caller).post("/holds/" + hold + "/void", "", Map.of());
    }

    private BigDecimal available(long account) {
        return bank.getJson("/accounts/" + account).get("available").decimalValue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched", "naive"})
    void aHoldReservesTheAmountOutOfWhatIsAvailableNotOutOfTheBalance(String strategy) {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");

        JsonNode hold = place(strategy, "Alice", hold(alice, shop, "30.00", "60"))
                .expect(201).expectHeaderMatching("Location", "/holds/\\d+").expectField("status", "pending")
                .expectField("strategy", strategy).json();
        assertEquals(new BigDecimal("30.00"), hold.get("amount").decimalValue());
        Duration expiresIn = Duration.between(Instant.parse(hold.get("createdAt").asText()),
                Instant.parse(hold.get("expiresAt").asText()));
        assertEquals(Duration.ofSeconds(60), expiresIn);

        assertEquals(new BigDecimal("100.00"), bank.balance(alice));
        assertEquals(new BigDecimal("70.00"), available(alice));
        long id = hold.get("id").asLong();
        assertEquals(hold, bank.asCustomer("Alice").getJson("/holds/" + id));
        assertEquals(hold, bank.asCustomer("Shop").getJson("/holds/" + id));
        bank.asCustomer("Mallory").get("/holds/" + id).expectProblem(404, "/problems/hold-not-found");
        Books.assertAuditConsistent(bank);
    }

    @Test
    void transfersSpendOnlyWhatHoldsLeaveAvailable() {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        place("pessimistic", "Alice", hold(alice, shop, "80.00", "60")).expect(201);

        for (String strategy : new String[] {"pessimistic", "optimistic", "batched"}) {
            bank.transfer(strategy, alice, shop, "20.01").expectProblem(422, "/problems/insufficient-funds");
        }
        bank.transfer("batched", alice, shop, "20.00").expect(201);
        assertEquals(new BigDecimal("0.00"), available(alice));
        assertEquals(new BigDecimal("80.00"), bank.balance(alice));
        place("optimistic", "Alice", hold(alice, shop, "0.01", "60")).expectProblem(422, "/problems/insufficient-funds");
    }

    @Test
    void postingInFullTransfersTheHoldOnceAndForAll() {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        long id = place("optimistic", "Alice", hold(alice, shop, "30.00", "60")).expect(201).id();

        JsonNode transfer = post("Shop", id, "").expect(201).expectHeaderMatching("Location", "/transfers/\\d+").json();
        assertEquals(new BigDecimal("30.00"), transfer.get("amount").decimalValue());
        assertEquals("pessimistic", transfer.get("strategy").asText(),
                "a posting locks both accounts, whatever strategy placed the hold");
        assertEquals(alice, transfer.get("from").asLong());
        assertEquals(new BigDecimal("70.00"), bank.balance(alice));
        assertEquals(new BigDecimal("70.00"), available(alice));
        assertEquals(new BigDecimal("30.00"), bank.balance(shop));
        JsonNode posted = bank.asCustomer("Alice").getJson("/holds/" + id);
        assertEquals("posted", posted.get("status").asText());
        assertEquals(transfer.get("id").asLong(), posted.get("transferId").asLong());

        post("Alice", id, "").expectProblem(409, "/problems/hold-posted");
        voidHold("Alice", id).expectProblem(409, "/problems/hold-posted");
        assertEquals(new BigDecimal("70.00"), bank.balance(alice));
        Books.assertAuditConsistent(bank);
    }

    @Test
    void postingInPartTransfersThatPartAndReleasesTheRest() {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        long id = place("optimistic", "Alice", hold(alice, shop, "30.00", "\"PT1H\"")).expect(201).id();

        post("Alice", id, "{\"amount\":\"30.01\"}").expectProblem(422, "/problems/hold-amount-exceeded");
        post("Alice", id, "{\"amount\":31}").expectProblem(422, "/problems/hold-amount-exceeded")
                .expectField("detail", "Hold " + id + " reserves 30.00, less than the 31.00 asked for");
        post("Alice", id, "{\"amount\":0}").expectProblem(400, "/problems/invalid-request");
        post("Alice", id, "{\"amount\":\"12.50\"}").expect(201);

        assertEquals(new BigDecimal("87.50"), bank.balance(alice));
        assertEquals(new BigDecimal("87.50"), available(alice));
        assertEquals(new BigDecimal("12.50"), bank.balance(shop));
        assertEquals(new BigDecimal("12.50"), bank.asCustomer("Shop").getJson("/holds/" + id).get("postedAmount")
                .decimalValue());
    }

    @Test
    void voidingReleasesTheHoldAndOnlyTheSenderMayVoid() {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        long id = place("pessimistic", "Alice", hold(alice, shop, "30.00", "60")).expect(201).id();

        voidHold("Shop", id).expectProblem(403, "/problems/forbidden");
        voidHold("Mallory", id).expectProblem(404, "/problems/hold-not-found");
        post("Mallory", id, "").expectProblem(404, "/problems/hold-not-found");
        voidHold("Alice", id).expect(200).expectField("status", "voided");
        assertEquals(new BigDecimal("100.00"), available(alice));

        voidHold("Alice", id).expectProblem(409, "/problems/hold-voided");
        post("Shop", id, "").expectProblem(409, "/problems/hold-voided");
        // The receiver may never void: told so whatever became of the hold.
        voidHold("Shop", id).expectProblem(403, "/problems/forbidden");
        assertEquals(new BigDecimal("100.00"), bank.balance(alice));
        assertEquals(new BigDecimal("0.00"), bank.balance(shop));
        Books.assertAuditConsistent(bank);
    }

    /** There is no partial void: a body asking for one is refused, and the hold stays whole and pending. */
    @Test
    void aVoidTakesNoBodyButEmptyJson() {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        long id = place("pessimistic", "Alice", hold(alice, shop, "30.00", "60")).expect(201).id();
        Bank asAlice = bank.asCustomer("Alice");

        Answer partial = asAlice.post("/holds/" + id + "/void", "{\"amount\":1}", Map.of())
                .expectProblem(400, "/problems/invalid-request");
        assertEquals("amount", partial.json().get("violations").get(0).get("field").asText(), partial.body());
        partial.expectField("detail", "amount: is not a property of this request, which takes none");
        asAlice.post("/holds/" + id + "/void", "garbage{{{", Map.of()).expectProblem(400, "/problems/malformed-json");
        for (String notAnObject : new String[] {"null", " ", "\n"}) {
            asAlice.post("/holds/" + id + "/void", notAnObject, Map.of()).expectProblem(400, "/problems/invalid-request");
            post("Shop", id, notAnObject).expectProblem(400, "/problems/invalid-request");
        }
        given().auth().oauth2(Tokens.customer("Alice")).contentType(ContentType.TEXT).body("hello")
                .post("/holds/" + id + "/void")
                .then().statusCode(415).contentType("application/problem+json");
        assertEquals(new BigDecimal("70.00"), available(alice));
        assertEquals("pending", bank.asCustomer("Alice").getJson("/holds/" + id).get("status").asText());

        asAlice.post("/holds/" + id + "/void", "{}", Map.of()).expect(200).expectField("status", "voided");
        assertEquals(new BigDecimal("100.00"), available(alice));
        Books.assertAuditConsistent(bank);
    }

    @Test
    void anExpiredHoldReservesNothingFromItsExpiryOnAndCannotBePosted() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        long id = place("pessimistic", "Alice", hold(alice, shop, "100.00", "1")).expect(201).id();
        assertEquals(new BigDecimal("0.00"), available(alice));

        Thread.sleep(1100);
        // Before any clean-up: the hold is expired all the same.
        assertEquals(new BigDecimal("100.00"), available(alice));
        assertEquals("expired", bank.asCustomer("Alice").getJson("/holds/" + id).get("status").asText());
        post("Shop", id, "").expectProblem(409, "/problems/hold-expired");
        voidHold("Alice", id).expectProblem(409, "/problems/hold-expired");
        bank.transfer("pessimistic", alice, shop, "60.00").expect(201);

        expiry.releaseExpired(Instant.now());
        JsonNode released = bank.asCustomer("Alice").getJson("/holds/" + id);
        assertEquals("expired", released.get("status").asText());
        assertEquals(released.get("expiresAt"), released.get("resolvedAt"));
        assertEquals(new BigDecimal("40.00"), available(alice));
        Books.assertAuditConsistent(bank);
    }

    /**
     * An instance whose clock runs ahead stamps an account's last entry ahead, and every later entry of the account is
     * made at that instant: a transfer then counts a hold expiring before it as released, and spends its money. A
     * posting decides at the same instant whether the hold is still pending, so it cannot spend that money again.
     */
    @Test
    void aHoldATransferCountedAsExpiredCannotBePostedAfterIt() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        long expiring = place("pessimistic", "Alice", hold(alice, shop, "60.00", "5")).expect(201).id();
        place("pessimistic", "Alice", hold(alice, shop, "40.00", "3600")).expect(201);
        moveTimeAhead(alice, "10 seconds");

        bank.transfer("pessimistic", alice, shop, "60.00").expect(201);
        post("Shop", expiring, "{\"amount\":\"30.00\"}").expectProblem(409, "/problems/hold-expired");

        assertEquals(new BigDecimal("40.00"), bank.balance(alice));
        assertEquals(new BigDecimal("0.00"), available(alice));
        Books.assertAuditConsistent(bank);
    }

    /**
     * A placement too decides at the sender's time, and moves it on: placed by an instance whose clock runs past an
     * earlier hold's expiry, it reserves that hold's money, and every instance then reads the earlier hold as expired
     * (never both as reserved). A void decides at the sender's time alone: a receiver's time far ahead does not expire
     * the sender's hold.
     */
    @Test
    void aPlacementDecidesAtTheSendersTimeAndAVoidHeedsNoOtherAccountsTime() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        long expiring = place("pessimistic", "Alice", hold(alice, shop, "100.00", "3")).expect(201).id();
        moveTimeAhead(alice, "5 seconds");

        long placed = place("pessimistic", "Alice", hold(alice, shop, "100.00", "60")).expect(201)
                .expectField("status", "pending").id();
        assertEquals(new BigDecimal("0.00"), available(alice));
        assertEquals("expired", bank.asCustomer("Alice").getJson("/holds/" + expiring).get("status").asText());
        post("Shop", expiring, "").expectProblem(409, "/problems/hold-expired");
        Books.assertAuditConsistent(bank);

        moveTimeAhead(shop, "1 hour");
        voidHold("Alice", placed).expect(200).expectField("status", "voided");
        assertEquals(new BigDecimal("100.00"), available(alice));
        Books.assertAuditConsistent(bank);
    }

    /**
     * A clean-up on an instance whose clock runs ahead releases a hold before this instance's clock reaches its expiry:
     * the sender's time reaches the expiry, so the transfer that spends the money is stamped after the release, and a
     * balance as of any instant never counts both the hold and the spending.
     */
    @Test
    void aReleaseByAFastCleanUpMovesTheSendersTimeSoNoBalanceCountsTheMoneyTwice() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        place("pessimistic", "Alice", hold(alice, shop, "100.00", "5")).expect(201);

        expiry.releaseExpired(Instant.now().plusSeconds(10));
        bank.transfer("pessimistic", alice, shop, "100.00").expect(201);

        JsonNode now = bank.asCustomer("Alice").getJson("/accounts/" + alice + "/balance");
        assertEquals(new BigDecimal("0.00"), now.get("balance").decimalValue());
        assertEquals(new BigDecimal("0.00"), now.get("available").decimalValue(), now.toString());
        Books.assertAuditConsistent(bank);
    }

    /** The account's time as an instance whose clock runs ahead by this interval would have left it. */
    private void moveTimeAhead(long account, String interval) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("update account set last_entry_at = now() + interval '" + interval + "' where id = "
                    + account);
        }
    }

    @Test
    void eachOperationIsDoneOnceUnderItsIdempotencyKey() {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        Map<String, String> placeKey = Map.of("Idempotency-Key", "place-1");
        long id = place("pessimistic", "Alice", hold(alice, shop, "30.00", "60"), placeKey).expect(201).id();
        assertEquals(id, place("pessimistic", "Alice", hold(alice, shop, "30.00", "\"PT1M\""), placeKey).expect(200)
                .expectHeader("Idempotent-Replayed", "true").id());
        // The key stands for that request alone: another amount, expiry or strategy is another request.
        place("pessimistic", "Alice", hold(alice, shop, "31.00", "60"), placeKey)
                .expectProblem(422, "/problems/idempotency-key-reused");
        place("pessimistic", "Alice", hold(alice, shop, "30.00", "61"), placeKey)
                .expectProblem(422, "/problems/idempotency-key-reused");
        place("optimistic", "Alice", hold(alice, shop, "30.00", "60"), placeKey)
                .expectProblem(422, "/problems/idempotency-key-reused");
        place("batched", "Alice", hold(alice, shop, "30.00", "60"), placeKey)
                .expectProblem(422, "/problems/idempotency-key-reused");
        // Another subject's key of the same string is another key.
        long bob = bank.openAccount("Bob", "10.00");
        place("pessimistic", "Bob", hold(bob, shop, "1.00", "60"), placeKey).expect(201);
        assertEquals(new BigDecimal("70.00"), available(alice));

        Map<String, String> postKey = Map.of("Idempotency-Key", "post-1");
        long transfer = bank.asCustomer("Shop").post("/holds/" + id + "/post", "{\"amount\":\"10.00\"}", postKey)
                .expect(201).id();
        assertEquals(transfer, bank.asCustomer("Shop").post("/holds/" + id + "/post", "{\"amount\":\"10.00\"}", postKey)
                .expect(200).id());
        bank.asCustomer("Shop").post("/holds/" + id + "/post", "{\"amount\":\"11.00\"}", postKey)
                .expectProblem(422, "/problems/idempotency-key-reused");
        bank.asCustomer("Shop").post("/holds/" + id + "/void", "", postKey)
                .expectProblem(422, "/problems/idempotency-key-reused");
        assertEquals(new BigDecimal("90.00"), bank.balance(alice));
        assertEquals(1, bank.transferCount(shop));
    }

    /**
     * A batched placement is done once under its key like any other, and the key is no transfer's: the same string on a
     * batched transfer of the same subject is another key.
     */
    @Test
    void aBatchedPlacementIsDoneOnceUnderItsKeyAndPostedLikeAnyHold() {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        Map<String, String> key = Map.of("Idempotency-Key", "batched-place-1");
        long id = place("batched", "Alice", hold(alice, shop, "30.00", "60"), key).expect(201).id();
        assertEquals(id, place("batched", "Alice", hold(alice, shop, "30.00", "60"), key).expect(200)
                .expectHeader("Idempotent-Replayed", "true").expectField("status", "pending").id());
        place("pessimistic", "Alice", hold(alice, shop, "30.00", "60"), key)
                .expectProblem(422, "/problems/idempotency-key-reused");
        bank.transfer("batched", "batched-place-1", alice, shop, "5.00").expect(201);
        assertEquals(new BigDecimal("65.00"), available(alice));

        post("Shop", id, "{\"amount\":\"20.00\"}").expect(201);
        assertEquals(new BigDecimal("75.00"), bank.balance(alice));
        assertEquals(new BigDecimal("75.00"), available(alice));
        Books.assertAuditConsistent(bank);
    }

    /** Nobody but a party to the hold learns it exists, nor makes anyone wait: a stranger is refused before any lock. */
    @Test
    void aStrangersPostOrVoidIsRefusedWithoutWaitingForTheHoldsAccounts() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        long id = place("pessimistic", "Alice", hold(alice, shop, "30.00", "60")).expect(201).id();

        try (RowLock busy = RowLock.on(dataSource, alice)) {
            post("Mallory", id, "").expectProblem(404, "/problems/hold-not-found");
            voidHold("Mallory", id).expectProblem(404, "/problems/hold-not-found");
        }
        assertEquals("pending", bank.asCustomer("Alice").getJson("/holds/" + id).get("status").asText());
    }

    @Test
    void wholeSecondsMayBeWrittenWithAFractionOrAnExponent() {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        for (String expiresIn : new String[] {"60.0", "6e1", "6.0E+1", "\"PT60.000S\""}) {
            JsonNode hold = place("optimistic", "Alice", hold(alice, shop, "1.00", expiresIn)).expect(201).json();
            assertEquals(Duration.ofSeconds(60), Duration.between(Instant.parse(hold.get("createdAt").asText()),
                    Instant.parse(hold.get("expiresAt").asText())), expiresIn);
        }
        assertEquals(new BigDecimal("96.00"), available(alice));
    }

    @Test
    void badHoldsAreRefusedAndChangeNothing() {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        for (String expiresIn : new String[] {"0", "-1", "2592001", "1000000000000", "\"P400D\"", "\"PT0S\"", "\"PT1.5S\"",
                "\"soon\"", "null", "1.5", "60.000001", "1e-1", "99999999999999999999", "1e400"}) {
            JsonNode refusal = place("pessimistic", "Alice", hold(alice, shop, "1.00", expiresIn))
                    .expectProblem(400, "/problems/invalid-request").json();
            assertEquals("expiresIn", refusal.path("violations").path(0).path("field").asText(), expiresIn);
        }
        place("pessimistic", "Alice", hold(alice, shop, "1.00", "true")).expect(400);
        place("pessimistic", "Alice", hold(alice, alice, "1.00", "60")).expectProblem(400, "/problems/invalid-request");
        place("pessimistic", "Alice", hold(alice, shop, "0", "60")).expectProblem(400, "/problems/invalid-request");
        place("pessimistic", "Alice", hold(alice, 999_999_999L, "1.00", "60"))
                .expectProblem(404, "/problems/account-not-found");
        place("pessimistic", "Alice", hold(shop, alice, "1.00", "60")).expectProblem(404, "/problems/account-not-found");
        place("batched", "Alice", hold(alice, 999_999_999L, "1.00", "60"))
                .expectProblem(404, "/problems/account-not-found");
        place("batched", "Alice", hold(shop, alice, "1.00", "60")).expectProblem(404, "/problems/account-not-found");
        // Another's sender is as absent as a missing one, whatever the receiver: its existence does not leak.
        for (String strategy : new String[] {"pessimistic", "optimistic", "batched"}) {
            place(strategy, "Alice", hold(shop, 999_999_999L, "1.00", "60"))
                    .expectProblem(404, "/problems/account-not-found").expectField("detail", "There is no account " + shop);
        }
        place("batched", "Alice", hold(alice, shop, "100.01", "60")).expectProblem(422, "/problems/insufficient-funds");
        place("sideways", "Alice", hold(alice, shop, "1.00", "60")).expectProblem(404, "/problems/unknown-strategy");
        place("naive", "Alice", hold(alice, shop, "101.00", "60")).expectProblem(422, "/problems/insufficient-funds");
        bank.asCustomer("Alice").get("/holds/999999999").expectProblem(404, "/problems/hold-not-found");
        post("Alice", 999_999_999L, "").expectProblem(404, "/problems/hold-not-found");

        assertEquals(new BigDecimal("100.00"), available(alice));
        assertEquals(new BigDecimal("100.00"), bank.balance(alice));
    }
}
