package org.acme.bank.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Transfer;
import org.acme.bank.support.RawHttp;
import org.acme.bank.support.Tokens;
import org.acme.bank.support.RestartablePostgres;
import org.acme.bank.support.ServiceProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGTERM in the middle of load from many clients, each request on a fresh connection, as a rolling deploy meets it:
 * every transfer that committed was answered 201, for every strategy. The clients behave as the answers ask: a 503
 * with Retry-After is repeated after it, a refused connection ends the client. Before the fix, the clients kept
 * requests in flight until the shutdown timeout, and the close cut the answers of committed transfers (ledger rows
 * minus 201 answers: 41 to 105).
 */
class ShutdownUnderLoadIT {

    private static final int CLIENTS = 64;
    private static final int ACCOUNTS = 20;
    private static final Duration LOAD_BEFORE_SIGTERM = Duration.ofSeconds(3);
    private static final Duration CLIENT_LIMIT = Duration.ofSeconds(90);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched"})
    void everyCommittedTransferIsAnsweredWhenSigtermArrivesUnderLoad(String strategy) throws Exception {
        try (RestartablePostgres postgres = RestartablePostgres.start();
                ServiceProcess service = ServiceProcess.start("shutdown-under-load-" + strategy, Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("shutdown-under-load"),
                        "QUARKUS_DATASOURCE_USERNAME", "postgres",
                        "QUARKUS_DATASOURCE_PASSWORD", "postgres"))) {
            Bank bank = Bank.at(service.uri());
            List<Long> accounts = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                accounts.add(bank.openAccount("Owner", "1000000.00"));
            }

            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            AtomicInteger unanswered = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                running.add(clients.submit(() -> {
                    start.await();
                    sendUntilRefused(service, strategy, accounts, statuses, unanswered);
                    return null;
                }));
            }
            start.countDown();
            Thread.sleep(LOAD_BEFORE_SIGTERM.toMillis());
            service.terminate();
            for (Future<?> client : running) {
                client.get(CLIENT_LIMIT.toSeconds() + 30, TimeUnit.SECONDS);
            }
            clients.shutdown();
            assertTrue(service.awaitExit(Duration.ofSeconds(60)), "the service stopped");

            Map<Integer, Integer> answered = new TreeMap<>();
            statuses.forEach((status, count) -> answered.put(status, count.get()));
            try (Connection books = postgres.connect(); Statement statement = books.createStatement();
                    ResultSet ledger = statement.executeQuery("select count(*) from transfer")) {
                ledger.next();
                int committed = ledger.getInt(1);
                System.out.printf("%s, SIGTERM after %s of load by %d clients: answers %s, %d without an answer, "
                        + "%d in the ledger%n", strategy, LOAD_BEFORE_SIGTERM, CLIENTS, answered, unanswered.get(),
                        committed);
                assertTrue(Map.of(201, 0, 409, 0, 503, 0).keySet().containsAll(answered.keySet()), answered.toString());
                assertTrue(answered.getOrDefault(201, 0) > 0, "transfers ran before SIGTERM");
                assertEquals(committed, answered.getOrDefault(201, 0).intValue(),
                        "every committed transfer was answered 201, and only those");
            }
            try (Connection books = postgres.connect(); Statement statement = books.createStatement();
                    ResultSet total = statement.executeQuery("select sum(balance) from account")) {
                total.next();
                assertEquals(0, total.getBigDecimal(1).compareTo(new BigDecimal(ACCOUNTS + "000000.00")),
                        "money conserved");
            }
        }
    }

    /** One client: a transfer per connection until the service refuses connections (or the limit). */
    private static void sendUntilRefused(ServiceProcess service, String strategy, List<Long> accounts,
            Map<Integer, AtomicInteger> statuses, AtomicInteger unanswered) throws InterruptedException {
        long deadline = System.nanoTime() + CLIENT_LIMIT.toNanos();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < deadline) {
            long from = accounts.get(random.nextInt(accounts.size()));
            long to = accounts.get(random.nextInt(accounts.size()));
            if (from == to) {
                continue;
            }
            byte[] body = new Transfer(strategy, from, to, "1.00").json().getBytes(StandardCharsets.UTF_8);
            RawHttp.Answer answer;
            try {
                answer = RawHttp.send(service.uri(), "POST", "/transfers/" + strategy,
                        Map.of("Content-Type", "application/json", "Authorization",
                                "Bearer " + Tokens.customer("Owner")), body, false);
            } catch (ConnectException refused) {
                return;
            } catch (IOException lost) {
                unanswered.incrementAndGet();
                continue;
            }
            statuses.computeIfAbsent(answer.status(), status -> new AtomicInteger()).incrementAndGet();
            String retryAfter = answer.header("Retry-After");
            if (answer.status() == 503 && retryAfter != null) {
                Thread.sleep(TimeUnit.SECONDS.toMillis(Long.parseLong(retryAfter)));
            }
        }
    }
}
