package org.acme.bank.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Tokens;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.RowLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An account's history, page by page in either paging style, and the audit: what it finds, and its bounds. */
@QuarkusTest
class LedgerServiceTest {

    private final Bank bank = Bank.app();

    @Inject
    DataSource dataSource;

    @Test
    void historyIsNewestFirstInBothDirectionsAndFollowsItsNextLinks() {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "100.00");
        long carol = bank.openAccount("Carol", "100.00");
        List<Long> alices = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            alices.add(0, (i % 2 == 0 ? bank.transfer("pessimistic", alice, bob, "1.00")
                    : bank.transfer("pessimistic", carol, alice, "1.00")).expect(201).id());
            bank.transfer("pessimistic", bob, carol, "1.00").expect(201);
        }

        List<Long> read = new ArrayList<>();
        String next = "/accounts/" + alice + "/transfers?size=2";
        int pages = 0;
        while (next != null) {
            Response page = given().auth().oauth2(Tokens.operator()).get(next).then().statusCode(200).extract().response();
            read.addAll(page.jsonPath().getList("id", Long.class));
            next = nextLink(page.header("Link"));
            pages++;
        }

        assertEquals(alices, read);
        assertEquals(3, pages);
        given().auth().oauth2(Tokens.operator()).queryParam("page", 1).queryParam("size", 2).get("/accounts/{id}/transfers", alice)
                .then().statusCode(200).body("id", equalTo(List.of(alices.get(2).intValue(), alices.get(3).intValue())));
        // Alice's entries are numbered 1 to 5, alices.get(1) is her fourth: before it, three, and page 1 of 2 the last.
        given().auth().oauth2(Tokens.operator()).queryParam("before", 4).queryParam("page", 1).queryParam("size", 2)
                .get("/accounts/{id}/transfers", alice)
                .then().statusCode(200).body("id", equalTo(List.of(alices.get(4).intValue())))
                .header("Link", nullValue());
    }

    /**
     * An offset is read and thrown away by the database: page 10000 of 1000 would skip ten million rows, and twenty
     * such reads at once held every pooled connection. A page may skip at most 10,000 rows; deeper is read with
     * {@code before}.
     */
    @Test
    void pagesPastTheEndAreEmptyAndPagesBeyondTheBoundAreRefused() {
        long alice = bank.openAccount("Alice", "1.00");

        for (String path : List.of("/accounts", "/accounts/" + alice + "/transfers")) {
            given().auth().oauth2(Tokens.operator()).queryParam("page", 10).queryParam("size", 1000).get(path)
                    .then().statusCode(200).body("size()", equalTo(0));
            given().auth().oauth2(Tokens.operator()).queryParam("page", 10_000).queryParam("size", 1).get(path)
                    .then().statusCode(200).body("size()", equalTo(0));
            for (String page : List.of("11", "10000", "10001", "1073741824", "2147483647")) {
                given().auth().oauth2(Tokens.operator()).queryParam("page", page).queryParam("size", 1000).get(path)
                        .then().statusCode(400).contentType("application/problem+json")
                        .body("type", equalTo("/problems/invalid-request"))
                        .body("violations[0].field", equalTo("page"));
            }
        }
        given().auth().oauth2(Tokens.operator()).queryParam("before", 0).get("/accounts/{id}/transfers", alice).then().statusCode(400);
    }

    @Test
    void aBalanceTheLedgerDoesNotExplainIsReported() throws Exception {
        long alice = bank.openAccount("Alice", "10.00");
        JsonNode before = bank.audit();
        try {
            execute("update account set balance = balance + 1 where id = " + alice);

            JsonNode after = bank.audit();
            assertEquals(before.get("mismatchedAccounts").asLong() + 1, after.get("mismatchedAccounts").asLong());
            assertEquals(before.get("total").decimalValue().add(BigDecimal.ONE), after.get("total").decimalValue());
        } finally {
            execute("update account set balance = balance - 1 where id = " + alice);
        }
        assertEquals(before.get("mismatchedAccounts").asLong(), bank.audit().get("mismatchedAccounts").asLong());
    }

    /** The schema's CHECK (balance >= 0) keeps negativeBalances at 0; it counts what would slip past the check. */
    @Test
    void aNegativeBalanceIsReportedWhenTheCheckIsGone() throws Exception {
        long alice = bank.openAccount("Alice", "0.00");
        try {
            execute("alter table account drop constraint account_balance_check");
            execute("update account set balance = -1 where id = " + alice);

            assertEquals(1, bank.audit().get("negativeBalances").asLong());
        } finally {
            execute("update account set balance = 0 where id = " + alice);
            execute("alter table account add constraint account_balance_check check (balance >= 0)");
        }
        assertEquals(0, bank.audit().get("negativeBalances").asLong());
    }

    /** {@code full} is true or false: anything else would have run the incremental audit in silence. */
    @ParameterizedTest(name = "full={0}")
    @ValueSource(strings = {"abc", "1", "yes", "0"})
    void anAuditWhoseFullIsNeitherTrueNorFalseIsRefused(String full) {
        bank.get("/audit?full=" + full).expectProblem(400, "/problems/invalid-request");
    }

    /** As Python's requests sends a True. */
    @Test
    void anAuditsFullIsReadWhateverItsCase() {
        bank.get("/audit?full=True").expect(200).expectField("scope", "full");
        bank.get("/audit?full=FALSE").expect(200).expectField("scope", "incremental");
    }

    /**
     * While the ledger is locked by another session, the audit waits; a second audit meanwhile is refused at once,
     * and the first gives up at its statement timeout (2s in tests), both 503 audit-unavailable.
     */
    @Test
    void anAuditIsRunOneAtATimeAndCancelledAtItsTimeout() throws Exception {
        CompletableFuture<Answer> waiting;
        try (Connection locker = dataSource.getConnection(); Statement lock = locker.createStatement()) {
            locker.setAutoCommit(false);
            lock.execute("lock table transfer in access exclusive mode");
            waiting = CompletableFuture.supplyAsync(() -> bank.get("/audit"));
            RowLock.awaitWaiters(dataSource, 1);

            bank.get("/audit").expectProblem(503, "/problems/audit-unavailable").expectHeader("Retry-After", "1");
            waiting.get(30, TimeUnit.SECONDS).expectProblem(503, "/problems/audit-unavailable");
            locker.rollback();
        }
        given().auth().oauth2(Tokens.operator()).get("/audit").then().statusCode(200).body("mismatchedAccounts", equalTo(0));
    }


    /** The target of {@code Link: <...>; rel="next"}, or null. */
    private static String nextLink(String link) {
        if (link == null) {
            return null;
        }
        assertEquals(true, link.endsWith("rel=\"next\""), link);
        return link.substring(link.indexOf('<') + 1, link.indexOf('>'));
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }
}
