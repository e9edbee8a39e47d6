package org.acme.bank.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Books;
import org.acme.bank.support.ConcurrentTransfers;
import org.acme.bank.support.FailoverCluster;
import org.acme.bank.support.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Jepsen's bank test, run on a pg_auto_failover formation with a synchronous standby: two instances of the packaged
 * service under keyed load of every safe strategy, on hot and on cold accounts, lose the primary's whole node (its
 * pg_autoctl and its PostgreSQL, SIGKILL) and go on once the monitor has promoted the standby. Afterwards, on the new
 * primary, every answer is the truth: each success in the ledger exactly as asked, each refusal absent, each unknown
 * outcome settled by repeating its key; not one acknowledged transfer lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {

    private static final List<String> SAFE_STRATEGIES = List.of("pessimistic", "optimistic", "batched");
    /** Every answer the service may give to a well-formed transfer, whatever fails underneath. */
    private static final Set<Integer> HONEST_STATUSES = Set.of(200, 201, 409, 422, 503);
    /** Successes after the kill that show the service is back on the new primary, and how long they may take. */
    private static final int RECOVERED = 100;
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(120);
    private static final Duration MOST_WITHOUT_SERVICE = Duration.ofSeconds(60);
    /**
     * {@code bench/failover-async.sh} runs the first drill with asynchronous replication, for the figure of what it
     * loses (docs/operations.md): the drill then reports its losses instead of failing on them.
     */
    private static final boolean SYNCHRONOUS = !"async".equals(System.getProperty("bank.failover.replication"));

    private FailoverCluster cluster;
    private ServiceProcess first;
    private ServiceProcess second;
    private Bank bank;
    private List<Bank> instances;

    @BeforeAll
    void startFormationAndTwoInstances() throws Exception {
        Optional<String> missing = FailoverCluster.missing();
        if (missing.isPresent()) {
            String skipped = "SKIPPED FailoverIT: " + missing.get();
            System.out.println(skipped);
            Assumptions.abort(skipped);
        }
        cluster = FailoverCluster.start();
        if (!SYNCHRONOUS) {
            cluster.replicateAsynchronously();
        }
        Map<String, String> environment = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", cluster.jdbcUrl("bank-service"),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                // Trusted on loopback: the password is never asked for.
                "QUARKUS_DATASOURCE_PASSWORD", "unused",
                "QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "2s");
        first = ServiceProcess.start("failover-instance-1", environment);
        second = ServiceProcess.start("failover-instance-2", environment);
        bank = Bank.at(first.uri());
        instances = List.of(bank, bank.alsoAt(second.uri()));
    }

    @AfterAll
    void stopEverything() throws Exception {
        try (FailoverCluster formation = cluster; ServiceProcess one = first; ServiceProcess two = second) {
            // Closed in reverse order: the instances first, then the formation.
        }
    }

    @Test
    @Order(1)
    void thePrimaryIsLostUnderLoadAndNothingAcknowledgedIsLost() throws Exception {
        Map<Long, BigDecimal> hot = bank.openAccounts(2, "Owner", "100000.00");
        Map<Long, BigDecimal> cold = bank.openAccounts(20, "Owner", "10000.00");
        TransferLoad hotLoad = new TransferLoad(instances, SAFE_STRATEGIES, List.copyOf(hot.keySet()), 4);
        TransferLoad coldLoad = new TransferLoad(instances, SAFE_STRATEGIES, List.copyOf(cold.keySet()), 4);

        hotLoad.start();
        coldLoad.start();
        Thread.sleep(5_000);
        int lostPrimary = cluster.primaryPort();
        Instant killed = Instant.now();
        Map<Instant, Integer> readiness;
        try (ReadinessWatch watch = new ReadinessWatch(first.management())) {
            cluster.killPrimary();
            hotLoad.awaitSuccessesSince(killed, RECOVERED, RECOVERY_LIMIT);
            coldLoad.awaitSuccessesSince(killed, RECOVERED, RECOVERY_LIMIT);
            readiness = watch.seen();
        }
        List<Answer> hotAnswers = hotLoad.stop();
        List<Answer> coldAnswers = coldLoad.stop();
        List<Answer> answers = new ArrayList<>(hotAnswers);
        answers.addAll(coldAnswers);
        int newPrimary = cluster.primaryPort();

        Duration withoutService = withoutService(answers, killed);
        Map<Long, BigDecimal> opening = new LinkedHashMap<>(hot);
        opening.putAll(cold);
        List<Answer> settled = new ArrayList<>(hotLoad.settleUnknownOutcomes(hotAnswers));
        settled.addAll(coldLoad.settleUnknownOutcomes(coldAnswers));
        long lost;
        try (Connection db = cluster.connectToPrimary()) {
            lost = Books.acknowledgedButMissing(db, opening, answers);
            System.out.printf("FailoverIT (%s replication): primary on port %d killed, %d promoted; acknowledged "
                    + "transfers lost: %d of %d; seconds without service: %.1f; answers: %s%n",
                    SYNCHRONOUS ? "synchronous" : "asynchronous", lostPrimary, newPrimary, lost,
                    answers.stream().filter(Answer::succeeded).count(), withoutService.toMillis() / 1000.0,
                    ConcurrentTransfers.summary(answers));
            assertTrue(newPrimary != lostPrimary, "the standby was not promoted: " + cluster.state());
            Assumptions.assumeTrue(SYNCHRONOUS, "asynchronous replication promises nothing: reported, not checked");
            assertEquals(0, lost, "acknowledged transfers were lost");
            for (Answer answer : answers) {
                assertTrue(HONEST_STATUSES.contains(answer.status()) || answer.status() == Bank.NO_ANSWER,
                        "answered " + answer.summary());
            }
            assertTrue(withoutService.compareTo(MOST_WITHOUT_SERVICE) <= 0, "without service for " + withoutService);
            assertTrue(hotLoad.successesSince(killed) >= RECOVERED && coldLoad.successesSince(killed) >= RECOVERED,
                    "the service did not resume on the new primary");
            assertTrue(readiness.containsValue(503), "readiness stayed UP while no primary answered: " + readiness);
            assertEquals(200, readiness.values().stream().reduce((earlier, later) -> later).orElseThrow(),
                    "readiness did not come back UP on the new primary");
            Books.assertLedgerMatches(db, opening, settled);
        }
        Books.assertAuditConsistent(bank);
    }

    /** The monitor is only needed to fail over: without it, the primary and its standby go on serving. */
    @Test
    @Order(2)
    void theMonitorIsLostAndServiceGoesOn() throws Exception {
        cluster.restartWhatIsDown();
        Map<Long, BigDecimal> opening = bank.openAccounts(20, "Owner", "10000.00");
        TransferLoad load = new TransferLoad(instances, SAFE_STRATEGIES, List.copyOf(opening.keySet()), 4);

        cluster.kill("monitor");
        load.start();
        Thread.sleep(5_000);
        List<Answer> answers = load.stop();

        System.out.printf("FailoverIT, monitor lost: %s%n", ConcurrentTransfers.summary(answers));
        for (Answer answer : answers) {
            assertTrue(answer.succeeded() || "/problems/retries-exhausted".equals(answer.problemType()),
                    "answered without the monitor: " + answer.summary());
        }
        cluster.restartWhatIsDown();
        try (Connection db = cluster.connectToPrimary()) {
            Books.assertLedgerMatches(db, opening, answers);
        }
    }

    /**
     * Both data nodes lost: every transfer is a fast 503 with Retry-After, never a hang; once the nodes are back (the
     * last primary resumes), service resumes by itself and nothing acknowledged is lost.
     */
    @Test
    @Order(3)
    void bothDataNodesAreLostAndServiceResumesWhenTheyReturn() throws Exception {
        Map<Long, BigDecimal> opening = bank.openAccounts(20, "Owner", "10000.00");
        TransferLoad load = new TransferLoad(instances, SAFE_STRATEGIES, List.copyOf(opening.keySet()), 4);

        load.start();
        Thread.sleep(2_000);
        cluster.kill("node1");
        cluster.kill("node2");
        Instant down = Instant.now();
        // Long enough for answers within it: a request caught by the kill is answered only after its look-up has
        // waited for a connection (the acquisition timeout, 2 s), and its user's next request waits as long again.
        Thread.sleep(8_000);
        Instant restarting = Instant.now();
        cluster.restartWhatIsDown();
        Instant up = Instant.now();
        load.awaitSuccessesSince(up, RECOVERED, RECOVERY_LIMIT);
        List<Answer> answers = load.stop();

        List<Answer> duringOutage = answers.stream()
                .filter(answer -> answer.sentAt().isAfter(down.plusSeconds(1))
                        && answer.answeredAt().isBefore(restarting))
                .toList();
        Duration slowest = duringOutage.stream().map(Answer::latency).max(Duration::compareTo).orElse(Duration.ZERO);
        System.out.printf("FailoverIT, both data nodes lost for %d s: %s; during the outage: %s, slowest %d ms%n",
                Duration.between(down, up).toSeconds(), ConcurrentTransfers.summary(answers),
                ConcurrentTransfers.summary(duringOutage), slowest.toMillis());
        assertTrue(!duringOutage.isEmpty(), "no request was answered while both nodes were down");
        for (Answer answer : duringOutage) {
            assertEquals(503, answer.status(), "answered during the outage: " + answer.summary());
            assertTrue(answer.header("Retry-After").isPresent(), "a 503 without Retry-After");
        }
        assertTrue(load.successesSince(up) >= RECOVERED, "the service did not resume once the nodes were back");
        assertNothingLostAndTheBooksMatch(load, opening, answers);
    }

    /**
     * A planned switchover: the primary is demoted while it still runs, so the pooled connections to it end (it restarts
     * as the standby) and are replaced by connections to the promoted node; nothing acknowledged is lost.
     */
    @Test
    @Order(4)
    void aSwitchoverDemotesThePrimaryUnderLoadAndNothingIsLost() throws Exception {
        Map<Long, BigDecimal> opening = bank.openAccounts(20, "Owner", "10000.00");
        TransferLoad load = new TransferLoad(instances, SAFE_STRATEGIES, List.copyOf(opening.keySet()), 4);

        load.start();
        Thread.sleep(2_000);
        int demoted = cluster.primaryPort();
        cluster.switchover();
        Instant switched = Instant.now();
        load.awaitSuccessesSince(switched, RECOVERED, RECOVERY_LIMIT);
        List<Answer> answers = load.stop();

        System.out.printf("FailoverIT, switchover from port %d to %d: %s%n", demoted, cluster.primaryPort(),
                ConcurrentTransfers.summary(answers));
        assertTrue(cluster.primaryPort() != demoted, "the primary did not change: " + cluster.state());
        for (Answer answer : answers) {
            assertTrue(HONEST_STATUSES.contains(answer.status()), "answered " + answer.summary());
        }
        assertTrue(load.successesSince(switched) >= RECOVERED, "the service did not follow the promoted node");
        assertNothingLostAndTheBooksMatch(load, opening, answers);
    }

    /**
     * On the primary now: no transfer answered as done is missing; once the unknown outcomes are settled by their
     * keys, the ledger holds exactly the successes, as asked; the audit agrees.
     */
    private void assertNothingLostAndTheBooksMatch(TransferLoad load, Map<Long, BigDecimal> opening,
            List<Answer> answers) throws Exception {
        List<Answer> settled = load.settleUnknownOutcomes(answers);
        try (Connection db = cluster.connectToPrimary()) {
            assertEquals(0, Books.acknowledgedButMissing(db, opening, answers), "acknowledged transfers were lost");
            Books.assertLedgerMatches(db, opening, settled);
        }
        Books.assertAuditConsistent(bank);
    }

    /** Polls an instance's readiness ten times a second, keeping each status with the instant it was seen. */
    private static final class ReadinessWatch implements AutoCloseable {

        private final Map<Instant, Integer> seen = new ConcurrentSkipListMap<>();
        private final Thread poller;

        ReadinessWatch(URI management) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            HttpRequest ready = HttpRequest.newBuilder(management.resolve("/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build();
            poller = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        seen.put(Instant.now(), client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode());
                        Thread.sleep(100);
                    } catch (InterruptedException stop) {
                        return;
                    } catch (IOException unanswered) {
                        seen.put(Instant.now(), Bank.NO_ANSWER);
                    }
                }
            }, "readiness-watch");
            poller.start();
        }

        /** In the order seen. */
        Map<Instant, Integer> seen() {
            return new TreeMap<>(seen);
        }

        @Override
        public void close() throws InterruptedException {
            poller.interrupt();
            poller.join();
        }
    }

    /** The longest time after the kill in which no transfer succeeded: between two successes, or the kill and one. */
    private static Duration withoutService(List<Answer> answers, Instant killed) {
        List<Instant> successes = answers.stream().filter(Answer::succeeded).map(Answer::answeredAt)
                .filter(answeredAt -> answeredAt.isAfter(killed)).sorted().toList();
        Duration longest = Duration.ZERO;
        Instant previous = killed;
        for (Instant success : successes) {
            Duration gap = Duration.between(previous, success);
            longest = gap.compareTo(longest) > 0 ? gap : longest;
            previous = success;
        }
        return longest;
    }

}
