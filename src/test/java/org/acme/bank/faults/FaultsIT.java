package org.acme.bank.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Books;
import org.acme.bank.support.ConcurrentTransfers;
import org.acme.bank.support.RestartablePostgres;
import org.acme.bank.support.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two instances of the packaged service on one database of their own, put under load while the database is stopped
 * and started, while its backends are killed, and side by side. Whatever happens, each client answer is the truth:
 * what was answered as done is in the ledger, what was answered as failed is not, and no money is created or lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultsIT {

    private static final String APPLICATION_NAME = "bank-service";
    private static final List<String> SAFE_STRATEGIES = List.of("pessimistic", "optimistic", "batched");
    /** Every answer the service may give to a well-formed transfer, whatever fails underneath. */
    private static final Set<Integer> HONEST_STATUSES = Set.of(200, 201, 409, 422, 503);
    /** Successes after the fault that show the service is back by itself, and how long they may take to come. */
    private static final int RECOVERED = 50;
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);

    private RestartablePostgres postgres;
    private ServiceProcess first;
    private ServiceProcess second;
    private Bank bank;
    private List<Bank> instances;

    @BeforeAll
    void startDatabaseAndTwoInstances() throws Exception {
        postgres = RestartablePostgres.start();
        Map<String, String> environment = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(APPLICATION_NAME),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                // Transactions stay open a little longer, so that faults land in the middle of them.
                "BANK_TRANSFER_PAUSE_BETWEEN_LOCKS", "20ms",
                // A request that finds no connection is answered 503 after this: well inside the 5 s outage, which
                // the default 5 s only just fits (seen once: every 503 came at 5.0 s, after the restart).
                "QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "2s");
        first = ServiceProcess.start("faults-instance-1", environment);
        second = ServiceProcess.start("faults-instance-2", environment);
        bank = Bank.at(first.uri());
        instances = List.of(bank, bank.alsoAt(second.uri()));
    }

    @AfterAll
    void stopEverything() throws Exception {
        try (RestartablePostgres database = postgres; ServiceProcess one = first; ServiceProcess two = second) {
            // Closed in reverse order: the instances first, then the database.
        }
    }

    @Test
    void theDatabaseIsStoppedUnderLoadAndStartedAgain() throws Exception {
        Map<Long, BigDecimal> opening = bank.openAccounts(6, "Owner", "1000.00");
        TransferLoad load = eightUsersOn(opening);

        load.start();
        Thread.sleep(2_000);
        postgres.stop();
        Instant down = Instant.now();
        Thread.sleep(5_000);
        Instant restarting = Instant.now();
        postgres.startAgain();
        Instant up = Instant.now();
        load.awaitSuccessesSince(up, RECOVERED, RECOVERY_LIMIT);
        List<Answer> answers = load.stop();

        List<Answer> duringOutage = answers.stream()
                .filter(answer -> answer.sentAt().isAfter(down) && answer.answeredAt().isBefore(restarting))
                .toList();
        report("database stopped for 5 s", answers, duringOutage);
        assertHonest(answers);
        assertTrue(!duringOutage.isEmpty(), "no request was answered while the database was down");
        for (Answer answer : duringOutage) {
            assertEquals(503, answer.status(), "answered during the outage: " + answer.summary());
            assertTrue(answer.header("Retry-After").isPresent(), "a 503 without Retry-After");
        }
        assertTrue(load.successesSince(up) >= RECOVERED, "the service did not recover after the restart");
        assertBooksMatchAnswers(load, opening, answers);
    }

    @Test
    void backendsAreTerminatedInTheMiddleOfTransfers() throws Exception {
        Map<Long, BigDecimal> opening = bank.openAccounts(6, "Owner", "1000.00");
        TransferLoad load = eightUsersOn(opening);

        long terminated = 0;
        load.start();
        Thread.sleep(1_000);
        try (Connection db = postgres.connect(); PreparedStatement terminate = db.prepareStatement("""
                select count(pg_terminate_backend(pid)) from pg_stat_activity
                where application_name = ? and pid <> pg_backend_pid()""")) {
            terminate.setString(1, APPLICATION_NAME);
            for (int round = 0; round < 30; round++) {
                try (ResultSet count = terminate.executeQuery()) {
                    count.next();
                    terminated += count.getLong(1);
                }
                Thread.sleep(100);
            }
        }
        Instant calm = Instant.now();
        load.awaitSuccessesSince(calm, RECOVERED, RECOVERY_LIMIT);
        List<Answer> answers = load.stop();

        report("backends terminated: " + terminated, answers, List.of());
        assertHonest(answers);
        assertTrue(answers.stream().anyMatch(answer -> answer.status() == 503),
                "no transfer was hit by the terminations, the test proved nothing");
        assertTrue(load.successesSince(calm) >= RECOVERED, "the service did not recover after the terminations");
        assertBooksMatchAnswers(load, opening, answers);
    }

    @Test
    void twoInstancesShareOneDatabaseWithoutDeadlocks() throws Exception {
        Map<Long, BigDecimal> opening = bank.openAccounts(4, "Owner", "1000.00");
        TransferLoad load = eightUsersOn(opening);

        load.start();
        Thread.sleep(5_000);
        List<Answer> answers = load.stop();

        report("two instances, 4 hot accounts", answers, List.of());
        assertHonest(answers);
        for (Answer answer : answers) {
            boolean expected = answer.status() == 201 || answer.transfer().strategy().equals("optimistic")
                    && "/problems/retries-exhausted".equals(answer.problemType());
            assertTrue(expected, answer.transfer().strategy() + " answered " + answer.summary());
        }
        for (Bank instance : instances) {
            assertTrue(load.successesThrough(instance) > 0, "no transfer succeeded through " + instance.uri("/"));
        }
        assertBooksMatchAnswers(load, opening, answers);
    }

    private void assertBooksMatchAnswers(TransferLoad load, Map<Long, BigDecimal> opening, List<Answer> answers)
            throws Exception {
        List<Answer> settled = load.settleUnknownOutcomes(answers);
        try (Connection db = postgres.connect()) {
            Books.assertLedgerMatches(db, opening, settled);
        }
        Books.assertAuditConsistent(bank);
    }

    private static void assertHonest(List<Answer> answers) {
        for (Answer answer : answers) {
            assertTrue(HONEST_STATUSES.contains(answer.status()), "answered " + answer.summary());
        }
    }

    private static void report(String scenario, List<Answer> answers, List<Answer> duringOutage) {
        Duration slowest = answers.stream().filter(answer -> answer.status() == 503).map(Answer::latency)
                .max(Duration::compareTo).orElse(Duration.ZERO);
        System.out.printf("%s: %s; answered during the outage: %s; slowest 503: %d ms%n", scenario,
                ConcurrentTransfers.summary(answers), ConcurrentTransfers.summary(duringOutage), slowest.toMillis());
    }

    /** Eight users sending transfers among these accounts through both instances, with both locking strategies. */
    private TransferLoad eightUsersOn(Map<Long, BigDecimal> opening) {
        return new TransferLoad(instances, SAFE_STRATEGIES, List.copyOf(opening.keySet()), 8);
    }

}
