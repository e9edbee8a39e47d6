package org.acme.bank.transfer.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Transfer;
import org.acme.bank.support.Metrics;
import org.acme.bank.support.RowLock;
import org.junit.jupiter.api.Test;

/**
 * A thousand batched transfers wait for their batch while it is held at a row lock: no thread of the service waits
 * for them (only the writer, at the lock) and no connection but the writer's is taken. Then all of them commit.
 */
@QuarkusTest
@TestProfile(BatchedThreadsTest.PatientLocks.class)
class BatchedThreadsTest {

    private final Bank bank = Bank.app();

    private static final int WAITING = 1000;

    /** Time enough to open a thousand connections while the writer waits at the lock. */
    public static class PatientLocks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bank.transfer.lock-timeout", "60s", "bank.transfer.batched.max-wait", "60s");
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void waitingTransfersHoldNeitherAThreadNorAConnection() throws Exception {
        long alice = bank.openAccount("Alice", WAITING + ".00");
        long bob = bank.openAccount("Bob", "0.00");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        // A client of its own: a thousand connections open at once, given time to connect.
        HttpRequest transfer = bank.request(new Transfer("batched", alice, bob, "1.00"));

        String before = Metrics.scrape();
        List<CompletableFuture<HttpResponse<Void>>> answers = new ArrayList<>();
        Map<String, Integer> serviceThreads;
        long activeConnections;
        try (RowLock held = RowLock.on(dataSource, alice)) {
            for (int i = 0; i < WAITING; i++) {
                answers.add(client.sendAsync(transfer, HttpResponse.BodyHandlers.discarding()));
            }
            RowLock.awaitWaiters(dataSource, 1);
            awaitQueued(before);
            serviceThreads = threadsRunningServiceCode();
            activeConnections = Metrics.value(Metrics.scrape(), "agroal_active_count", "datasource=\"default\"");
            assertEquals(0, answers.stream().filter(CompletableFuture::isDone).count(), "all wait for their batch");
        }

        System.out.printf("batched, %d waiting: threads in service code %s, connections in use %d%n", WAITING,
                serviceThreads, activeConnections);
        assertEquals(Map.of("batched-transfer-writer", 1, "batched-transfer-wait-limit", 1), serviceThreads,
                "only the writer, at the lock, and the one thread that times the whole queue");
        assertTrue(activeConnections <= 2, "the writer's and the test's lock, not one per request: " + activeConnections);
        for (CompletableFuture<HttpResponse<Void>> answer : answers) {
            assertEquals(201, answer.get(60, TimeUnit.SECONDS).statusCode());
        }
        assertEquals(new BigDecimal("0.00"), bank.balance(alice));
        assertEquals(new BigDecimal(WAITING + ".00"), bank.balance(bob));
    }

    /** Every request is in a batch or queued for one. */
    private static void awaitQueued(String before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long queued;
        do {
            Thread.sleep(50);
            String now = Metrics.scrape();
            queued = Metrics.delta(before, now, "bank_transfer_batch_size_sum", "")
                    + Metrics.value(now, "bank_transfer_batch_queue", "");
        } while (queued < WAITING && System.nanoTime() < deadline);
        assertEquals(WAITING, queued, "transfers in a batch or queued");
    }

    /** Threads (by name, numbers dropped) with a frame of the service's code, not the tests', on their stack. */
    private static Map<String, Integer> threadsRunningServiceCode() {
        Map<String, Integer> threads = new TreeMap<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            boolean inService = Arrays.stream(stack).map(StackTraceElement::getClassName)
                    .anyMatch(name -> name.startsWith("org.acme.bank.") && !name.startsWith("org.acme.bank.support.")
                            && !name.endsWith("Test") && !name.endsWith("IT"));
            if (inService && thread != Thread.currentThread()) {
                threads.merge(thread.getName().replaceAll("-?\\d+$", ""), 1, Integer::sum);
            }
        });
        return threads;
    }
}
