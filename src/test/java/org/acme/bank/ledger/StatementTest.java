package org.acme.bank.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Tokens;
import org.junit.jupiter.api.Test;

/** Balances as of an instant and statements of a period, read from the running balances of the ledger. */
@QuarkusTest
class StatementTest {

    private final Bank bank = Bank.app();

    @Inject
    DataSource dataSource;

    private static String at(Instant instant) {
        return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
    }

    /** Something happens strictly between two instants read around it. */
    private static Instant pause() throws InterruptedException {
        Thread.sleep(5);
        Instant now = Instant.now();
        Thread.sleep(5);
        return now;
    }

    @Test
    void aBalanceAsOfAnInstantCountsEveryEntryMadeByThen() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");
        Instant opened = pause();
        bank.transfer("pessimistic", alice, bob, "10.00").expect(201);
        Instant afterFirst = pause();
        bank.transfer("batched", bob, alice, "4.00").expect(201);
        bank.transfer("optimistic", alice, bob, "30.00").expect(201);
        Instant afterThird = pause();
        long hold = bank.asCustomer("Alice").post("/holds/pessimistic", "{\"from\":" + alice + ",\"to\":" + bob
                + ",\"amount\":\"50.00\",\"expiresIn\":600}", Map.of()).expect(201).id();
        Instant held = pause();
        bank.asCustomer("Bob").post("/holds/" + hold + "/post", "{\"amount\":\"20.00\"}", Map.of()).expect(201);

        assertAsOf(alice, opened, "100.00", "100.00");
        assertAsOf(alice, afterFirst, "90.00", "90.00");
        assertAsOf(alice, afterThird, "64.00", "64.00");
        assertAsOf(alice, held, "64.00", "14.00");
        assertAsOf(alice, Instant.now(), "44.00", "44.00");
        assertAsOf(bob, afterThird, "36.00", "36.00");
        // An offset other than Z, and the default: now.
        assertEquals(new BigDecimal("90.00"), bank.getJson("/accounts/" + alice + "/balance?asOf="
                + at(afterFirst.atOffset(ZoneOffset.ofHours(2)).toInstant())).get("balance").decimalValue());
        assertEquals(new BigDecimal("44.00"), bank.getJson("/accounts/" + alice + "/balance").get("balance")
                .decimalValue());
    }

    @Test
    void anInstantTheAccountHasNoAnswerForIsRefused() {
        long alice = bank.openAccount("Alice", "100.00");
        JsonNode account = bank.getJson("/accounts/" + alice);
        Instant created = Instant.parse(account.get("createdAt").asText());
        String base = "/accounts/" + alice + "/balance?asOf=";
        bank.get(base + at(created.minusMillis(1))).expectProblem(400, "/problems/invalid-request");
        bank.get(base + at(Instant.now().plusSeconds(60))).expectProblem(400, "/problems/invalid-request");
        for (String malformed : List.of("yesterday", "2026-13-01T00:00:00Z", "2026-12-01", "2026-12-01T00:00:00",
                "1733000000")) {
            bank.get(base + malformed).expectProblem(400, "/problems/invalid-request");
        }
        bank.get(base + at(created)).expect(200);
        bank.asCustomer("Mallory").get(base + at(created)).expectProblem(404, "/problems/account-not-found");
        bank.get("/accounts/" + alice + "/statement?from=" + at(Instant.now()) + "&to=" + at(created))
                .expectProblem(400, "/problems/invalid-request");
        // Years Java reads but RFC 3339 does not have, nor PostgreSQL: refused, never a 500.
        for (String period : List.of("from=-300000-01-01T00:00:00Z", "to=%2B300000-01-01T00:00:00Z",
                "from=%2B999999999-12-31T23:59:59Z", "to=0000-01-01T00:00:00Z")) {
            JsonNode problem = bank.get("/accounts/" + alice + "/statement?" + period)
                    .expectProblem(400, "/problems/invalid-request").json();
            assertEquals(period.substring(0, period.indexOf('=')), problem.get("violations").get(0).get("field")
                    .asText());
        }
    }

    /**
     * An instance whose clock runs behind another's reads an account that one opened (or last changed) in what is its
     * own future: with no instant asked for, the balance and the statement are still answered, as of the account's time.
     */
    @Test
    void withNoInstantAskedForAnAccountStampedAheadOfThisClockIsStillAnswered() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("update account set created_at = now() + interval '1 minute' where id = " + alice);
        }

        assertEquals(new BigDecimal("100.00"), bank.getJson("/accounts/" + alice + "/balance").get("balance")
                .decimalValue());
        assertEquals(new BigDecimal("100.00"), bank.getJson("/accounts/" + alice + "/statement")
                .get("closingBalance").decimalValue());
    }

    @Test
    void aStatementGivesTheEntriesOfItsPeriodWithTheirRunningBalancePageByPage() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");
        bank.transfer("pessimistic", alice, bob, "1.00").expect(201);
        Instant from = pause();
        for (int i = 0; i < 5; i++) {
            bank.transfer("batched", alice, bob, "2.00").expect(201);
            bank.transfer("optimistic", bob, alice, "0.50").expect(201);
        }
        Instant to = pause();
        bank.transfer("pessimistic", alice, bob, "3.00").expect(201);

        List<JsonNode> entries = new ArrayList<>();
        String next = "/accounts/" + alice + "/statement?from=" + at(from) + "&to=" + at(to) + "&size=4";
        JsonNode first = null;
        while (next != null) {
            Bank.Answer page = bank.get(next).expect(200);
            first = first == null ? page.json() : first;
            page.json().get("entries").forEach(entries::add);
            next = page.header("Link").map(link -> link.substring(link.indexOf('<') + 1, link.indexOf('>')))
                    .orElse(null);
        }
        assertEquals(new BigDecimal("99.00"), first.get("openingBalance").decimalValue());
        assertEquals(new BigDecimal("91.50"), first.get("closingBalance").decimalValue());
        assertEquals(10, entries.size());
        BigDecimal running = new BigDecimal("99.00");
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            assertEquals(i + 2, entry.get("entry").asLong(), "the period starts after alice's first entry");
            assertEquals(bob, entry.get("counterparty").asLong());
            running = running.add(entry.get("amount").decimalValue());
            assertEquals(running, entry.get("balanceAfter").decimalValue(), entry.toString());
        }
        assertEquals(new BigDecimal("-2.00"), entries.get(0).get("amount").decimalValue());

        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(bank.uri("/accounts/" + alice
                        + "/statement?from=" + at(from) + "&to=" + at(to)))
                .header("Authorization", "Bearer " + Tokens.customer("Alice")).header("Accept", "text/csv").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.headers().firstValue("Content-Type").orElseThrow().startsWith("text/csv"));
        assertEquals("99.00", csv.headers().firstValue("Opening-Balance").orElseThrow());
        assertEquals("91.50", csv.headers().firstValue("Closing-Balance").orElseThrow());
        String[] lines = csv.body().split("\r\n");
        assertEquals("entry_id,time,counterparty,amount,balance_after", lines[0]);
        assertEquals(11, lines.length);
        JsonNode firstEntry = entries.get(0);
        assertEquals(firstEntry.get("transferId").asText() + "," + firstEntry.get("createdAt").asText() + "," + bob
                + ",-2.00,97.00", lines[1]);
    }

    /** Entry times have microseconds: an instant named to the nanosecond must not be rounded across one. */
    @Test
    void anInstantNamedMoreFinelyThanTheLedgerKeepsSelectsTheEntriesTheExactOneWould() {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");
        JsonNode transfer = bank.transfer("pessimistic", alice, bob, "10.00").expect(201).json();
        Instant made = Instant.parse(transfer.get("createdAt").asText());
        String account = "/accounts/" + alice;

        assertEquals(new BigDecimal("100.00"), bank.getJson(account + "/balance?asOf=" + at(made.minusNanos(1)))
                .get("balance").decimalValue());
        assertEquals(new BigDecimal("90.00"), bank.getJson(account + "/balance?asOf=" + at(made)).get("balance")
                .decimalValue());
        JsonNode after = bank.getJson(account + "/statement?from=" + at(made.plusNanos(1)) + "&to="
                + at(made.plusNanos(2)));
        assertEquals(new BigDecimal("90.00"), after.get("openingBalance").decimalValue(), after.toString());
        assertEquals(0, after.get("entries").size(), after.toString());
        JsonNode around = bank.getJson(account + "/statement?from=" + at(made.minusNanos(1)) + "&to="
                + at(made.plusNanos(1)));
        assertEquals(new BigDecimal("100.00"), around.get("openingBalance").decimalValue(), around.toString());
        assertEquals(new BigDecimal("90.00"), around.get("closingBalance").decimalValue(), around.toString());
        assertEquals(1, around.get("entries").size(), around.toString());
    }

    /** The statement answers JSON or CSV as the Accept header prefers, and 406 when it accepts neither. */
    @Test
    void aStatementIsAnsweredInTheRepresentationAcceptedOrNotAtAll() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        String statement = "/accounts/" + alice + "/statement";
        for (String accept : List.of("*/*", "application/json", "application/json, text/csv", "text/*;q=0.5, */*",
                "text/csv;q=0.5, application/*")) {
            assertTrue(contentType(statement, accept).startsWith("application/json"), accept);
        }
        for (String accept : List.of("text/csv", "text/*", "text/csv, application/json;q=0.5")) {
            assertTrue(contentType(statement, accept).startsWith("text/csv"), accept);
        }
        for (String accept : List.of("application/xml", "image/png, text/html")) {
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(bank.uri(statement))
                    .header("Authorization", "Bearer " + Tokens.customer("Alice")).header("Accept", accept).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(406, refused.statusCode(), accept + ": " + refused.body());
        }
    }

    private String contentType(String path, String accept) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(bank.uri(path))
                .header("Authorization", "Bearer " + Tokens.customer("Alice")).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), accept + ": " + answer.body());
        return answer.headers().firstValue("Content-Type").orElseThrow();
    }

    private void assertAsOf(long account, Instant at, String balance, String available) {
        JsonNode answer = bank.getJson("/accounts/" + account + "/balance?asOf=" + at(at));
        assertEquals(new BigDecimal(balance), answer.get("balance").decimalValue(), answer.toString());
        assertEquals(new BigDecimal(available), answer.get("available").decimalValue(), answer.toString());
        assertEquals(at.truncatedTo(ChronoUnit.MICROS), Instant.parse(answer.get("asOf").asText()), "read as the "
                + "ledger keeps time");
    }
}
