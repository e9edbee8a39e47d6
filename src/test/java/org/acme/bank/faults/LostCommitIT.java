package org.acme.bank.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.acme.bank.support.CommitCuttingProxy;
import org.acme.bank.support.RestartablePostgres;
import org.acme.bank.support.ServiceClient;
import org.acme.bank.support.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The COMMIT reached the database and was done, but its answer was lost on the way back: the service must not call
 * that a failure. It asks the ledger and answers 201; and when it cannot even ask, it says the outcome is unknown and
 * names the transfer, which the client can then read, or settle by repeating its Idempotency-Key. A COMMIT that never
 * reached the database is found absent from the ledger and answered as not done.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LostCommitIT {

    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private RestartablePostgres postgres;
    private CommitCuttingProxy proxy;
    private ServiceProcess service;
    private ServiceClient bank;

    @BeforeAll
    void startServiceBehindTheProxy() throws Exception {
        postgres = RestartablePostgres.start();
        proxy = CommitCuttingProxy.start(postgres.port());
        service = ServiceProcess.start("lost-commit-instance", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL",
                "jdbc:postgresql://localhost:" + proxy.port() + "/postgres?prepareThreshold=0",
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "1s"));
        bank = new ServiceClient(service.uri());
    }

    @AfterAll
    void stopEverything() throws Exception {
        try (RestartablePostgres database = postgres; CommitCuttingProxy cutter = proxy; ServiceProcess one = service) {
            // Closed in reverse order: the service, the proxy, the database.
        }
    }

    /** For a batch as for a single transfer: each member whose row is in the ledger is answered as done. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "batched"})
    void aCommitWhoseAnswerWasLostIsFoundInTheLedgerAndAnsweredAsDone(String strategy) throws Exception {
        long alice = bank.openAccount("100.00");
        long bob = bank.openAccount("0.00");

        proxy.cutNextTransferCommit(CommitCuttingProxy.Cut.ANSWER_LOST);
        HttpResponse<String> answer = transfer(strategy, alice, bob, "10.00", null);

        assertEquals(201, answer.statusCode(), answer.body());
        long id = json.readTree(answer.body()).get("id").asLong();
        assertEquals(200, bank.get("/transfers/" + id).statusCode());
        assertEquals(0, new BigDecimal("90.00").compareTo(bank.balance(alice)));
        assertEquals(0, new BigDecimal("10.00").compareTo(bank.balance(bob)));
    }

    /**
     * As in a database restart, every connection of the pool breaks with the COMMIT's answer: the first look-up of the
     * ledger borrows another broken connection, and the service must try again on a fresh one rather than call the
     * outcome unknown.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "batched"})
    void aLostCommitIsCheckedOnAFreshConnectionWhenThePoolsConnectionsBrokeWithIt(String strategy) throws Exception {
        long alice = bank.openAccount("100.00");
        long bob = bank.openAccount("0.00");
        fillThePoolWithIdleConnections(alice);

        proxy.cutNextTransferCommit(CommitCuttingProxy.Cut.ANSWER_LOST_WITH_EVERY_CONNECTION);
        HttpResponse<String> answer = transfer(strategy, alice, bob, "10.00", null);

        assertEquals(201, answer.statusCode(), answer.body());
        assertEquals(0, new BigDecimal("90.00").compareTo(bank.balance(alice)));
    }

    /** The COMMIT never reached the server: the ledger, asked afresh, has no such transfer, so nothing happened. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "batched"})
    void aCommitThatNeverReachedTheDatabaseIsAnsweredUnavailableAndMovedNothing(String strategy) throws Exception {
        long alice = bank.openAccount("100.00");
        long bob = bank.openAccount("0.00");

        proxy.cutNextTransferCommit(CommitCuttingProxy.Cut.COMMIT_LOST);
        HttpResponse<String> lost = transfer(strategy, alice, bob, "10.00", "never-" + alice);

        assertEquals(503, lost.statusCode(), lost.body());
        assertEquals("/problems/database-unavailable", json.readTree(lost.body()).get("type").asText());
        assertEquals(0, new BigDecimal("100.00").compareTo(bank.balance(alice)), "nothing moved");
        HttpResponse<String> repeat = transfer(strategy, alice, bob, "10.00", "never-" + alice);
        assertEquals(201, repeat.statusCode(), "the key was never bound: " + repeat.body());
        assertEquals(0, new BigDecimal("90.00").compareTo(bank.balance(alice)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "batched"})
    void aLostCommitThatCannotBeCheckedIsAnsweredOutcomeUnknownAndSettledByTheKey(String strategy) throws Exception {
        long alice = bank.openAccount("100.00");
        long bob = bank.openAccount("0.00");

        proxy.cutNextTransferCommit(CommitCuttingProxy.Cut.ANSWER_LOST_THEN_DARK);
        HttpResponse<String> unknown = transfer(strategy, alice, bob, "10.00", "lost-" + alice);
        proxy.heal();

        assertEquals(503, unknown.statusCode(), unknown.body());
        JsonNode problem = json.readTree(unknown.body());
        assertEquals("/problems/outcome-unknown", problem.get("type").asText());
        long id = problem.get("transferId").asLong();
        // The client waits for the database to come back, as Retry-After asks: connections broken in the dark phase
        // are each answered 503 once and thrown away.
        assertEquals(200, retriedWhileUnavailable(() -> bank.get("/transfers/" + id)).statusCode(),
                "the transfer named as unknown did happen");
        HttpResponse<String> repeat =
                retriedWhileUnavailable(() -> transfer(strategy, alice, bob, "10.00", "lost-" + alice));
        assertEquals(200, repeat.statusCode(), repeat.body());
        assertEquals(id, json.readTree(repeat.body()).get("id").asLong());
        assertEquals(0, new BigDecimal("90.00").compareTo(bank.balance(alice)), "the money moved once");
    }

    /** Concurrent reads make the pool open several connections, which then wait idle in it. */
    private void fillThePoolWithIdleConnections(long account) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            reads.add(client.sendAsync(HttpRequest.newBuilder(service.uri().resolve("/accounts/" + account)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> read : reads) {
            assertEquals(200, read.get(30, TimeUnit.SECONDS).statusCode());
        }
    }

    private static HttpResponse<String> retriedWhileUnavailable(Callable<HttpResponse<String>> request)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> answer = request.call();
            if (answer.statusCode() != 503 || attempt == 30) {
                return answer;
            }
            Thread.sleep(1_000);
        }
    }

    private HttpResponse<String> transfer(String strategy, long from, long to, String amount, String key)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri().resolve("/transfers/" + strategy))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + amount + "}"));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
