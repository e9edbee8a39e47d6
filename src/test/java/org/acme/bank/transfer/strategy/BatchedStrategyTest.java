package org.acme.bank.transfer.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Bank.Transfer;
import org.acme.bank.support.Books;
import org.acme.bank.support.ConcurrentTransfers;
import org.acme.bank.support.Metrics;
import org.acme.bank.support.RowLock;
import org.junit.jupiter.api.Test;

/**
 * Group commit: transfers that arrive together are applied in one transaction, and one member's refusal is its own.
 * Under load: {@code HotSpotTest}, {@code DeadlockScenarioTest}; keys: {@code IdempotencyTest}.
 */
@QuarkusTest
class BatchedStrategyTest {

    private final Bank bank = Bank.app();

    @Inject
    DataSource dataSource;

    @Test
    void aLoneTransferIsABatchOfOne() {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");

        bank.transfer("batched", alice, bob, "2.50").expect(201)
                .expectHeaderMatching("Location", "/transfers/\\d+")
                .expectField("strategy", "batched");

        assertEquals(new BigDecimal("7.50"), bank.balance(alice));
        assertEquals(new BigDecimal("2.50"), bank.balance(bob));
    }

    /** Twelve transfers of 4.00 from a sender holding 10.00, and two to an account that does not exist, at once. */
    @Test
    void membersTheBalancesRefuseAreRefusedAloneAndTheOthersCommit() throws Exception {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");
        long carol = bank.openAccount("Carol", "100.00");
        List<List<Transfer>> users = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            users.add(List.of(new Transfer("batched", alice, bob, "4.00")));
        }
        for (int i = 0; i < 2; i++) {
            users.add(List.of(new Transfer("batched", carol, Long.MAX_VALUE - i, new BigDecimal("1.00"), null)));
        }
        for (int i = 0; i < 4; i++) {
            users.add(List.of(new Transfer("batched", carol, bob, "1.00")));
        }

        String before = Metrics.scrape();
        List<Answer> outcomes = ConcurrentTransfers.run(bank, users);
        String summary = ConcurrentTransfers.summary(outcomes);
        String after = Metrics.scrape();
        System.out.printf("batched, 18 at once: %s in %d batches%n", summary,
                Metrics.delta(before, after, "bank_transfer_batch_size_count", ""));

        assertEquals(2 + 4, ConcurrentTransfers.count(outcomes, 201), summary);
        assertEquals(10, ConcurrentTransfers.count(outcomes, "/problems/insufficient-funds"), summary);
        assertEquals(2, ConcurrentTransfers.count(outcomes, "/problems/account-not-found"), summary);
        assertEquals(new BigDecimal("2.00"), bank.balance(alice));
        assertEquals(18, Metrics.delta(before, after, "bank_transfer_batch_size_sum", ""), "every member in a batch");
        Books.assertBalanced(bank, Map.of(alice, new BigDecimal("10.00"), bob, new BigDecimal("0.00"),
                carol, new BigDecimal("100.00")), outcomes);
    }

    /**
     * One batch: a member whose key another request bound (committed before the batch claimed it), one whose sender
     * lacks the money whatever the order of the batch, and two plain ones. Each refused member is answered alone; the others commit.
     */
    @Test
    void aBoundKeyAndMissingMoneyAreRefusedAloneInTheirBatch() throws Exception {
        long alice = bank.openAccount("Alice", "1.00");
        long bob = bank.openAccount("Bob", "0.00");
        long carol = bank.openAccount("Carol", "100.00");
        String key = "bound-elsewhere-" + carol;
        bank.transfer("pessimistic", key, carol, bob, "5.00").expect(201);

        String before = Metrics.scrape();
        CompletableFuture<Answer> first;
        List<CompletableFuture<Answer>> batch;
        try (RowLock held = RowLock.on(dataSource, bob)) {
            first = CompletableFuture.supplyAsync(() -> bank.transfer("batched", carol, bob, "1.00"));
            RowLock.awaitWaiters(dataSource, 1);
            batch = List.of(CompletableFuture.supplyAsync(() -> bank.transfer("batched", key, carol, bob, "5.00")),
                    CompletableFuture.supplyAsync(() -> bank.transfer("batched", alice, bob, "6.00")),
                    CompletableFuture.supplyAsync(() -> bank.transfer("batched", carol, bob, "3.00")),
                    CompletableFuture.supplyAsync(() -> bank.transfer("batched", carol, alice, "4.00")));
            awaitQueued(before, 1 + batch.size());
        }

        first.get(30, TimeUnit.SECONDS).expect(201);
        batch.get(0).get(30, TimeUnit.SECONDS).expectProblem(422, "/problems/idempotency-key-reused");
        batch.get(1).get(30, TimeUnit.SECONDS).expectProblem(422, "/problems/insufficient-funds");
        batch.get(2).get(30, TimeUnit.SECONDS).expect(201);
        batch.get(3).get(30, TimeUnit.SECONDS).expect(201);
        String after = Metrics.scrape();
        assertEquals(2, Metrics.delta(before, after, "bank_transfer_batch_size_count", ""), "the first, then the four");
        assertEquals(new BigDecimal("87.00"), bank.balance(carol));
        assertEquals(new BigDecimal("5.00"), bank.balance(alice));
        assertEquals(new BigDecimal("9.00"), bank.balance(bob));
    }

    /**
     * One batch of holds and transfers, queued in this order: twins of a keyed placement the balance refuses, a keyed
     * placement and its twin, then two transfers. Each twin is answered as its twin would be (a refused twin releases
     * the key, and the other claims it again in a batch of its own); the hold placed counts against the transfers after
     * it in the same batch.
     */
    @Test
    void holdsAndTransfersShareABatchAndEachMemberIsAnsweredAsIfAlone() throws Exception {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");
        long carol = bank.openAccount("Carol", "100.00");
        String refusedHold = "{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":\"30.00\",\"expiresIn\":600}";
        String carolsHold = "{\"from\":" + carol + ",\"to\":" + bob + ",\"amount\":\"20.00\",\"expiresIn\":600}";

        String before = Metrics.scrape();
        CompletableFuture<Answer> first;
        List<CompletableFuture<Answer>> batch = new ArrayList<>();
        try (RowLock held = RowLock.on(dataSource, bob)) {
            first = CompletableFuture.supplyAsync(() -> bank.transfer("batched", carol, bob, "1.00"));
            RowLock.awaitWaiters(dataSource, 1);
            List<Supplier<Answer>> members = List.of(
                    () -> bank.asCustomer("Alice").post("/holds/batched", refusedHold, Map.of("Idempotency-Key", "k1")),
                    () -> bank.asCustomer("Alice").post("/holds/batched", refusedHold, Map.of("Idempotency-Key", "k1")),
                    () -> bank.asCustomer("Carol").post("/holds/batched", carolsHold, Map.of("Idempotency-Key", "k2")),
                    () -> bank.asCustomer("Carol").post("/holds/batched", carolsHold, Map.of("Idempotency-Key", "k2")),
                    () -> bank.transfer("batched", carol, bob, "79.01"),
                    () -> bank.transfer("batched", carol, bob, "79.00"));
            for (Supplier<Answer> member : members) {
                batch.add(CompletableFuture.supplyAsync(member));
                awaitQueued(before, 1 + batch.size());
            }
        }

        first.get(30, TimeUnit.SECONDS).expect(201);
        batch.get(0).get(30, TimeUnit.SECONDS).expectProblem(422, "/problems/insufficient-funds");
        batch.get(1).get(30, TimeUnit.SECONDS).expectProblem(422, "/problems/insufficient-funds");
        long hold = batch.get(2).get(30, TimeUnit.SECONDS).expect(201).id();
        assertEquals(hold, batch.get(3).get(30, TimeUnit.SECONDS).expect(200)
                .expectHeader("Idempotent-Replayed", "true").id());
        batch.get(4).get(30, TimeUnit.SECONDS).expectProblem(422, "/problems/insufficient-funds");
        batch.get(5).get(30, TimeUnit.SECONDS).expect(201);
        String after = Metrics.scrape();
        assertEquals(3, Metrics.delta(before, after, "bank_transfer_batch_size_count", ""),
                "the first; the six; the refused twin's second claim");
        assertEquals(new BigDecimal("20.00"), bank.balance(carol));
        assertEquals(new BigDecimal("0.00"), bank.getJson("/accounts/" + carol).get("available").decimalValue());
        assertEquals(new BigDecimal("80.00"), bank.balance(bob));
        assertEquals(new BigDecimal("10.00"), bank.getJson("/accounts/" + alice).get("available").decimalValue());
        Books.assertAuditConsistent(bank);
    }

    /**
     * A key of the batch held past the lock timeout by a transaction that may yet commit under it: its member is told
     * the key is in progress, and the member without a key, which the key does not concern, still moves its money
     * (before: 409 lock-timeout for both).
     */
    @Test
    void aKeyHeldElsewhereDelaysButDoesNotRefuseTheUnkeyedMembersOfItsBatch() throws Exception {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");
        long held = bank.openAccount("Held", "0.00");
        String key = "held-elsewhere-" + alice;

        String before = Metrics.scrape();
        CompletableFuture<Answer> first;
        CompletableFuture<Answer> keyed;
        CompletableFuture<Answer> unkeyed;
        try (Connection original = dataSource.getConnection(); Statement statement = original.createStatement()) {
            original.setAutoCommit(false);
            statement.execute("insert into idempotency_key (key, subject, transfer_id, created_at) values ('" + key
                    + "', 'Alice', nextval('transfer_id_seq'), now())");
            try (RowLock lock = RowLock.on(dataSource, held)) {
                first = CompletableFuture.supplyAsync(() -> bank.transfer("batched", held, bob, "1.00"));
                RowLock.awaitWaiters(dataSource, 1);
                keyed = CompletableFuture.supplyAsync(() -> bank.transfer("batched", key, alice, bob, "1.00"));
                unkeyed = CompletableFuture.supplyAsync(() -> bank.transfer("batched", alice, bob, "2.00"));
                awaitQueued(before, 3);
            }
            try {
                first.get(30, TimeUnit.SECONDS).expectProblem(422, "/problems/insufficient-funds");
                keyed.get(30, TimeUnit.SECONDS).expectProblem(409, "/problems/idempotency-key-in-progress");
                unkeyed.get(30, TimeUnit.SECONDS).expect(201);
            } finally {
                original.rollback();
            }
        }
        assertEquals(new BigDecimal("8.00"), bank.balance(alice));
    }

    /** Waits until this many transfers are in a batch or queued for one, since the {@code before} scrape. */
    private static void awaitQueued(String before, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (true) {
            String now = Metrics.scrape();
            long queued = Metrics.delta(before, now, "bank_transfer_batch_size_sum", "")
                    + Metrics.value(now, "bank_transfer_batch_queue", "");
            if (queued >= count || System.nanoTime() > deadline) {
                assertEquals(count, queued, "transfers in a batch or queued");
                return;
            }
            Thread.sleep(20);
        }
    }
}
