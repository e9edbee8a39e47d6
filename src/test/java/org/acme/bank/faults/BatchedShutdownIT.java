package org.acme.bank.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Bank.Transfer;
import org.acme.bank.support.Metrics;
import org.acme.bank.support.RestartablePostgres;
import org.acme.bank.support.ServiceProcess;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while the batched queue is full and its writer is held at a row lock: every queued request (transfers, and
 * every third one a hold) is still applied and answered before the service exits, and the ledger holds exactly the
 * transfers answered 201, the sender's holds exactly the holds answered 201.
 */
class BatchedShutdownIT {

    private static final int SENT = 300;
    private static final int MAX_QUEUE = 100;

    @Test
    void sigtermWithAFullQueueAnswersEveryQueuedRequest() throws Exception {
        try (RestartablePostgres postgres = RestartablePostgres.start();
                ServiceProcess service = ServiceProcess.start("batched-shutdown-instance", Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("batched-shutdown"),
                        "QUARKUS_DATASOURCE_USERNAME", "postgres",
                        "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                        "BANK_TRANSFER_LOCK_TIMEOUT", "60s",
                        "BANK_TRANSFER_BATCHED_MAX_WAIT", "60s",
                        "BANK_TRANSFER_BATCHED_MAX_QUEUE", String.valueOf(MAX_QUEUE)))) {
            Bank bank = Bank.at(service.uri());
            long alice = bank.openAccount("Alice", SENT + ".00");
            long bob = bank.openAccount("Bob", "0.00");
            Transfer transfer = new Transfer("batched", alice, bob, "1.00");
            String hold = "{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":\"1.00\",\"expiresIn\":3600}";

            List<CompletableFuture<Answer>> answers = new ArrayList<>();
            try (Connection lock = postgres.connect(); Statement statement = lock.createStatement()) {
                lock.setAutoCommit(false);
                statement.execute("select 1 from account where id = " + alice + " for update");
                for (int i = 0; i < SENT; i++) {
                    answers.add(i % 3 == 2 ? bank.asCustomer("Alice").postAsync("/holds/batched", hold, Map.of())
                            : bank.sendAsync(transfer));
                }
                awaitFullQueue(service, answers);

                service.terminate();
                Thread.sleep(1_000);
                assertEquals(0, answers.stream().filter(answer -> answer.isDone() && answer.join().status() == 201)
                        .count(), "nothing committed while the lock is held");
                lock.rollback();
            }

            Map<Integer, Integer> statuses = new TreeMap<>();
            for (CompletableFuture<Answer> answer : answers) {
                statuses.merge(answer.get(60, TimeUnit.SECONDS).status(), 1, Integer::sum);
            }
            assertTrue(service.awaitExit(Duration.ofSeconds(60)), "the service stopped");
            System.out.printf("batched, SIGTERM with %d queued of %d sent: %s%n", MAX_QUEUE, SENT, statuses);

            int committed = statuses.getOrDefault(201, 0);
            assertEquals(SENT, committed + statuses.getOrDefault(503, 0), "every request answered, 201 or 503");
            assertTrue(committed > MAX_QUEUE, "the full queue and the batch at the lock: " + statuses);
            long transfers = 0;
            for (int i = 0; i < SENT; i++) {
                transfers += i % 3 != 2 && answers.get(i).join().status() == 201 ? 1 : 0;
            }
            long holds = committed - transfers;
            assertTrue(holds > 0, "holds queued and placed too: " + statuses);
            try (Connection books = postgres.connect(); Statement statement = books.createStatement();
                    ResultSet ledger = statement.executeQuery(
                            "select count(*), (select balance from account where id = " + alice + "),"
                                    + " (select held from account where id = " + alice + "),"
                                    + " (select count(*) from hold where from_account_id = " + alice + "),"
                                    + " (select balance from account where id = " + bob + ")"
                                    + " from transfer where from_account_id = " + alice)) {
                ledger.next();
                assertEquals(transfers, ledger.getInt(1), "the ledger holds exactly the transfers answered 201");
                assertEquals(new BigDecimal(SENT - transfers + ".00"), ledger.getBigDecimal(2));
                assertEquals(new BigDecimal(holds + ".00"), ledger.getBigDecimal(3), "held: the holds answered 201");
                assertEquals(holds, ledger.getInt(4), "the holds placed are exactly those answered 201");
                assertEquals(new BigDecimal(transfers + ".00"), ledger.getBigDecimal(5));
            }
        }
    }

    /** Every request sent is answered (refused: the queue is full) or waits in the queue or the held batch. */
    private static void awaitFullQueue(ServiceProcess service, List<CompletableFuture<Answer>> answers)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long accounted;
        String metrics;
        do {
            Thread.sleep(50);
            metrics = Metrics.scrape(service.management());
            accounted = answers.stream().filter(CompletableFuture::isDone).count()
                    + Metrics.value(metrics, "bank_transfer_batch_size_sum", "")
                    + Metrics.value(metrics, "bank_transfer_batch_queue", "");
        } while (accounted < SENT && System.nanoTime() < deadline);
        assertEquals(SENT, accounted, "answered, queued, or in the batch at the lock");
        assertEquals(MAX_QUEUE, Metrics.value(metrics, "bank_transfer_batch_queue", ""), "the queue is full");
    }
}
