package org.acme.bank.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Books;
import org.acme.bank.support.ConcurrentTransfers;
import org.acme.bank.support.FailoverCluster;
import org.acme.bank.support.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Jepsen's bank test, run on a pg_auto_failover formation with a synchronous standby: two instances of the packaged
 * service under keyed load of every safe strategy, on hot and on cold accounts, lose the primary's whole node (its
 * pg_autoctl and its PostgreSQL, SIGKILL) and go on once the monitor has promoted the standby. Afterwards, on the new
 * primary, every answer is the truth: each success in the ledger exactly as asked, each refusal absent, each unknown
 * outcome settled by repeating its key; not one acknowledged transfer lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailoverIT {

    private static final List<String> SAFE_STRATEGIES = List.of("pessimistic", "optimistic", "batched");
    /** Every answer the service may give to a well-formed transfer, whatever fails underneath. */
    private static final Set<Integer> HONEST_STATUSES = Set.of(200, 201, 409, 422, 503);
    /** Successes after the kill that show the service is back on the new primary, and how long they may take. */
    private static final int RECOVERED = 100;
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(120);
    private static final Duration MOST_WITHOUT_SERVICE = Duration.ofSeconds(60);

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
    void thePrimaryIsLostUnderLoadAndNothingAcknowledgedIsLost() throws Exception {
        Map<Long, BigDecimal> hot = openAccounts(2, "100000.00");
        Map<Long, BigDecimal> cold = openAccounts(20, "10000.00");
        TransferLoad hotLoad = new TransferLoad(instances, SAFE_STRATEGIES, List.copyOf(hot.keySet()), 4);
        TransferLoad coldLoad = new TransferLoad(instances, SAFE_STRATEGIES, List.copyOf(cold.keySet()), 4);

        hotLoad.start();
        coldLoad.start();
        Thread.sleep(5_000);
        int lostPrimary = cluster.primaryPort();
        Instant killed = Instant.now();
        cluster.killPrimary();
        hotLoad.awaitSuccessesSince(killed, RECOVERED, RECOVERY_LIMIT);
        coldLoad.awaitSuccessesSince(killed, RECOVERED, RECOVERY_LIMIT);
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
            System.out.printf("FailoverIT: primary on port %d killed, %d promoted; acknowledged transfers lost: %d; "
                    + "seconds without service: %.1f; answers: %s%n", lostPrimary, newPrimary, lost,
                    withoutService.toMillis() / 1000.0, ConcurrentTransfers.summary(answers));
            assertTrue(newPrimary != lostPrimary, "the standby was not promoted: " + cluster.state());
            assertEquals(0, lost, "acknowledged transfers were lost");
            for (Answer answer : answers) {
                assertTrue(HONEST_STATUSES.contains(answer.status()) || answer.status() == Bank.NO_ANSWER,
                        "answered " + answer.summary());
            }
            assertTrue(withoutService.compareTo(MOST_WITHOUT_SERVICE) <= 0, "without service for " + withoutService);
            assertTrue(hotLoad.successesSince(killed) >= RECOVERED && coldLoad.successesSince(killed) >= RECOVERED,
                    "the service did not resume on the new primary");
            Books.assertLedgerMatches(db, opening, settled);
        }
        Books.assertAuditConsistent(bank);
    }

    /** From the first failed answer after the kill to the first success sent after it. */
    private static Duration withoutService(List<Answer> answers, Instant killed) {
        Optional<Instant> firstFailure = answers.stream()
                .filter(answer -> !answer.succeeded() && answer.answeredAt().isAfter(killed))
                .map(Answer::answeredAt).min(Comparator.naturalOrder());
        if (firstFailure.isEmpty()) {
            return Duration.ZERO;
        }
        Instant firstSuccessAfter = answers.stream()
                .filter(answer -> answer.succeeded() && answer.sentAt().isAfter(firstFailure.get()))
                .map(Answer::answeredAt).min(Comparator.naturalOrder()).orElse(Instant.MAX);
        return firstSuccessAfter == Instant.MAX ? Duration.ofDays(1)
                : Duration.between(firstFailure.get(), firstSuccessAfter);
    }

    private Map<Long, BigDecimal> openAccounts(int count, String balance) {
        Map<Long, BigDecimal> opening = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            opening.put(bank.openAccount("Owner", balance), new BigDecimal(balance));
        }
        return opening;
    }
}
