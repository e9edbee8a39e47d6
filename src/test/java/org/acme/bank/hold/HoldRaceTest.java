package org.acme.bank.hold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Books;
import org.acme.bank.support.ConcurrentTransfers;
import org.junit.jupiter.api.Test;

/**
 * Posts, voids, expiry and transfers racing on the same holds and account: each hold is resolved exactly once, what is
 * available never goes below zero, and the books balance.
 */
@QuarkusTest
class HoldRaceTest {

    private static final int HOLDS = 30;

    private final Bank bank = Bank.app();

    @Inject
    HoldExpiry expiry;

    private long place(long from, long to, String amount, int expiresIn) {
        return bank.asCustomer("Alice").post("/holds/pessimistic", "{\"from\":" + from + ",\"to\":" + to
                + ",\"amount\":\"" + amount + "\",\"expiresIn\":" + expiresIn + "}", Map.of()).expect(201).id();
    }

    private Supplier<Answer> post(String caller, long hold) {
        return () -> bank.asCustomer(caller).post("/holds/" + hold + "/post", "", Map.of());
    }

    private Supplier<Answer> voidHold(long hold) {
        return () -> bank.asCustomer("Alice").post("/holds/" + hold + "/void", "", Map.of());
    }

    private static List<Long> shuffled(List<Long> holds, long seed) {
        List<Long> order = new ArrayList<>(holds);
        Collections.shuffle(order, new Random(seed));
        return order;
    }

    @Test
    void postsAndVoidsRacingOnEachHoldLeaveOneWinnerAndTheBooksBalanced() throws Exception {
        long alice = bank.openAccount("Alice", "200.00");
        long shop = bank.openAccount("Shop", "0.00");
        List<Long> holds = new ArrayList<>();
        for (int i = 0; i < HOLDS; i++) {
            holds.add(place(alice, shop, "5.00", 600));
        }

        List<List<Supplier<Answer>>> users = new ArrayList<>();
        users.add(shuffled(holds, 1).stream().map(hold -> post("Shop", hold)).toList());
        users.add(shuffled(holds, 2).stream().map(hold -> post("Alice", hold)).toList());
        users.add(shuffled(holds, 3).stream().map(this::voidHold).toList());
        // Transfers spend what the holds leave available (50.00), and what voids give back, all at once.
        List<Supplier<Answer>> spending = new ArrayList<>();
        for (String strategy : List.of("pessimistic", "optimistic", "batched")) {
            for (int i = 0; i < 10; i++) {
                spending.add(() -> bank.transfer(strategy, alice, shop, "4.00"));
            }
        }
        users.add(spending);
        List<Answer> answers = ConcurrentTransfers.runRequests(users);

        List<Answer> resolutions = answers.subList(0, 3 * HOLDS);
        long won = resolutions.stream().filter(answer -> answer.status() == 200 || answer.status() == 201).count();
        assertEquals(HOLDS, won, ConcurrentTransfers.summary(resolutions));
        assertTrue(resolutions.stream().filter(answer -> answer.status() >= 300).allMatch(answer ->
                        Set.of("/problems/hold-posted", "/problems/hold-voided").contains(answer.problemType())),
                ConcurrentTransfers.summary(resolutions));
        long posted = resolutions.stream().filter(answer -> answer.status() == 201).count();
        long spent = answers.subList(3 * HOLDS, answers.size()).stream().filter(answer -> answer.status() == 201)
                .count();
        assertTrue(answers.subList(3 * HOLDS, answers.size()).stream().allMatch(answer -> answer.status() == 201
                || "/problems/insufficient-funds".equals(answer.problemType())), ConcurrentTransfers.summary(answers));

        BigDecimal moved = new BigDecimal("5.00").multiply(BigDecimal.valueOf(posted))
                .add(new BigDecimal("4.00").multiply(BigDecimal.valueOf(spent)));
        assertEquals(new BigDecimal("200.00").subtract(moved), bank.balance(alice));
        assertEquals(moved, bank.balance(shop));
        assertEquals(bank.balance(alice), bank.getJson("/accounts/" + alice).get("available").decimalValue());
        assertTrue(spent >= 12, "the 50.00 left available pays at least 12 transfers of 4.00: " + spent);
        Books.assertAuditConsistent(bank);
    }

    @Test
    void postsRacingTheExpiryAndTheCleanUpResolveEachHoldOnce() throws Exception {
        long alice = bank.openAccount("Alice", "200.00");
        long shop = bank.openAccount("Shop", "0.00");
        List<Long> holds = new ArrayList<>();
        for (int i = 0; i < HOLDS; i++) {
            holds.add(place(alice, shop, "5.00", 2));
        }
        Thread.sleep(1800);

        List<List<Supplier<Answer>>> users = new ArrayList<>();
        users.add(shuffled(holds, 4).stream().map(hold -> post("Shop", hold)).toList());
        users.add(shuffled(holds, 5).stream().map(this::voidHold).toList());
        users.add(List.of(() -> {
            // Sweeps while the others post and void, until it has released half the holds or for 5 s: when they
            // resolve more than half first, there is less than half left for it to release.
            Instant until = Instant.now().plusSeconds(5);
            try {
                int released = 0;
                while (released < HOLDS / 2 && Instant.now().isBefore(until)) {
                    released += expiry.releaseExpired(Instant.now());
                    Thread.sleep(20);
                }
            } catch (Exception failure) {
                throw new IllegalStateException(failure);
            }
            return null;
        }));
        List<Answer> answers = ConcurrentTransfers.runRequests(users).stream().filter(answer -> answer != null)
                .toList();
        expiry.releaseExpired(Instant.now());

        long won = answers.stream().filter(answer -> answer.status() == 200 || answer.status() == 201).count();
        assertTrue(answers.stream().filter(answer -> answer.status() >= 300).allMatch(answer -> Set.of(
                "/problems/hold-posted", "/problems/hold-voided", "/problems/hold-expired")
                .contains(answer.problemType())), ConcurrentTransfers.summary(answers));
        assertTrue(won <= HOLDS, ConcurrentTransfers.summary(answers));
        int pending = 0;
        int expired = 0;
        for (long hold : holds) {
            String status = bank.asCustomer("Alice").getJson("/holds/" + hold).get("status").asText();
            pending += "pending".equals(status) ? 1 : 0;
            expired += "expired".equals(status) ? 1 : 0;
        }
        assertEquals(0, pending);
        assertEquals(HOLDS, won + expired, ConcurrentTransfers.summary(answers));
        long posted = answers.stream().filter(answer -> answer.status() == 201).count();
        BigDecimal moved = new BigDecimal("5.00").multiply(BigDecimal.valueOf(posted));
        assertEquals(new BigDecimal("200.00").subtract(moved), bank.balance(alice));
        assertEquals(bank.balance(alice), bank.getJson("/accounts/" + alice).get("available").decimalValue());
        Books.assertAuditConsistent(bank);
    }

    /**
     * Placements by every strategy, batched among them, and transfers racing for one balance: what they reserve and
     * spend together never exceeds it. Every request is 5.00 out of 100.00, so exactly 20 of the 40 are done.
     */
    @Test
    void placementsAndTransfersRacingForOneBalanceNeverTakeMoreThanIsThere() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        List<String> kinds = List.of("hold batched", "hold pessimistic", "transfer batched", "transfer pessimistic");
        List<List<Supplier<Answer>>> users = new ArrayList<>();
        for (int user = 0; user < 8; user++) {
            String[] kind = kinds.get(user % kinds.size()).split(" ");
            List<Supplier<Answer>> requests = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                requests.add(kind[0].equals("hold") ? () -> bank.asCustomer("Alice").post("/holds/" + kind[1],
                        "{\"from\":" + alice + ",\"to\":" + shop + ",\"amount\":\"5.00\",\"expiresIn\":600}",
                        Map.of()) : () -> bank.transfer(kind[1], alice, shop, "5.00"));
            }
            users.add(requests);
        }
        List<Answer> answers = ConcurrentTransfers.runRequests(users);

        assertEquals(20, ConcurrentTransfers.count(answers, 201), ConcurrentTransfers.summary(answers));
        assertEquals(20, ConcurrentTransfers.count(answers, "/problems/insufficient-funds"),
                ConcurrentTransfers.summary(answers));
        long held = answers.stream().filter(answer -> answer.status() == 201 && answer.json().has("expiresAt"))
                .count();
        BigDecimal spent = new BigDecimal("5.00").multiply(BigDecimal.valueOf(20 - held));
        assertEquals(new BigDecimal("100.00").subtract(spent), bank.balance(alice));
        assertEquals(spent, bank.balance(shop));
        assertEquals(new BigDecimal("0.00"), bank.getJson("/accounts/" + alice).get("available").decimalValue());
        Books.assertAuditConsistent(bank);
    }

    /**
     * Twins of one keyed batched placement, sent at once, often share a batch: one places the hold and the others
     * replay it; when the balance refuses it, every twin is told so, none is left without an answer or with a 500.
     */
    @Test
    void keyedTwinsOfABatchedPlacementPlaceOneHoldOrAreAllRefused() throws Exception {
        long alice = bank.openAccount("Alice", "100.00");
        long shop = bank.openAccount("Shop", "0.00");
        for (String amount : List.of("30.00", "100.01")) {
            String body = "{\"from\":" + alice + ",\"to\":" + shop + ",\"amount\":\"" + amount
                    + "\",\"expiresIn\":600}";
            Map<String, String> key = Map.of("Idempotency-Key", "twins-" + amount);
            List<List<Supplier<Answer>>> twins = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                twins.add(List.of(() -> bank.asCustomer("Alice").post("/holds/batched", body, key)));
            }
            List<Answer> answers = ConcurrentTransfers.runRequests(twins);
            if (amount.equals("30.00")) {
                assertEquals(1, ConcurrentTransfers.count(answers, 201), ConcurrentTransfers.summary(answers));
                assertEquals(5, ConcurrentTransfers.count(answers, 200), ConcurrentTransfers.summary(answers));
                assertEquals(1, answers.stream().map(Answer::id).distinct().count(), "one hold for every twin");
            } else {
                assertEquals(6, ConcurrentTransfers.count(answers, "/problems/insufficient-funds"),
                        ConcurrentTransfers.summary(answers));
            }
        }
        assertEquals(new BigDecimal("70.00"), bank.getJson("/accounts/" + alice).get("available").decimalValue());
        assertEquals(new BigDecimal("100.00"), bank.balance(alice));
        Books.assertAuditConsistent(bank);
    }
}
