package org.acme.bank.transfer.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.RowLock;
import org.junit.jupiter.api.Test;

/**
 * The batched strategy's queue is bounded (2 here) and so is a wait in it (1 s here): beyond either the answer is
 * 503 transfer-queue-full, and what was refused is never applied later.
 */
@QuarkusTest
@TestProfile(BatchedBackpressureTest.SmallQueue.class)
class BatchedBackpressureTest {

    private final Bank bank = Bank.app();

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bank.transfer.batched.max-queue", "2", "bank.transfer.batched.max-wait", "1s",
                    "bank.transfer.batched.max-size", "1");
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void aFullQueueAndALongWaitAreRefusedAtOnceAndNeverAppliedLater() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long bob = bank.openAccount("Bob", "0.00");

        CompletableFuture<Answer> inBatch;
        List<CompletableFuture<Answer>> queued;
        Answer overflow;
        long refusedAfterMillis;
        try (RowLock held = RowLock.on(dataSource, alice)) {
            // The writer takes the first transfer and waits at the lock: its batch has begun.
            inBatch = CompletableFuture.supplyAsync(() -> bank.transfer("batched", alice, bob, "1.00"));
            RowLock.awaitWaiters(dataSource, 1);
            queued = List.of(CompletableFuture.supplyAsync(() -> bank.transfer("batched", alice, bob, "2.00")),
                    CompletableFuture.supplyAsync(() -> bank.transfer("batched", alice, bob, "3.00")));
            Thread.sleep(200);
            long sent = System.nanoTime();
            overflow = bank.transfer("batched", alice, bob, "4.00");
            refusedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            for (CompletableFuture<Answer> waiting : queued) {
                waiting.get(30, TimeUnit.SECONDS).expectProblem(503, "/problems/transfer-queue-full");
            }
            // Held past max-wait, but its batch had begun: it is answered by the batch, not refused.
            assertEquals(false, inBatch.isDone());
        }

        overflow.expectProblem(503, "/problems/transfer-queue-full").expectHeader("Retry-After", "1");
        // Answered while the writer was still held at the lock: refused at once, not queued behind it.
        System.out.printf("batched, a full queue answered in %d ms%n", refusedAfterMillis);
        inBatch.get(30, TimeUnit.SECONDS).expect(201);
        Thread.sleep(500);
        assertEquals(new BigDecimal("99.00"), bank.balance(alice), "only the transfer whose batch had begun");
        assertEquals(1, bank.transferCount(alice));
    }
}
