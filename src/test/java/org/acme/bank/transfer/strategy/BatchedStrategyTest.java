package org.acme.bank.transfer.strategy;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Books;
import org.acme.bank.support.ConcurrentTransfers;
import org.acme.bank.support.ConcurrentTransfers.Outcome;
import org.acme.bank.support.ConcurrentTransfers.Planned;
import org.acme.bank.support.Metrics;
import org.junit.jupiter.api.Test;

/**
 * Group commit: transfers that arrive together are applied in one transaction, and one member's refusal is its own.
 * Under load: {@code HotSpotTest}, {@code DeadlockScenarioTest}; keys: {@code IdempotencyTest}.
 */
@QuarkusTest
class BatchedStrategyTest {

    @Test
    void aLoneTransferIsABatchOfOne() {
        long alice = Bank.openAccount("Alice", "10.00");
        long bob = Bank.openAccount("Bob", "0.00");

        Bank.transfer("batched", alice, bob, "2.50").then().statusCode(201)
                .header("Location", matchesPattern("/transfers/\\d+"))
                .body("strategy", equalTo("batched"));

        assertEquals(new BigDecimal("7.50"), Bank.balance(alice));
        assertEquals(new BigDecimal("2.50"), Bank.balance(bob));
    }

    /** Twelve transfers of 4.00 from a sender holding 10.00, and two to an account that does not exist, at once. */
    @Test
    void membersTheBalancesRefuseAreRefusedAloneAndTheOthersCommit() throws Exception {
        long alice = Bank.openAccount("Alice", "10.00");
        long bob = Bank.openAccount("Bob", "0.00");
        long carol = Bank.openAccount("Carol", "100.00");
        List<List<Planned>> users = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            users.add(List.of(new Planned(alice, bob, new BigDecimal("4.00"))));
        }
        for (int i = 0; i < 2; i++) {
            users.add(List.of(new Planned(carol, Long.MAX_VALUE - i, new BigDecimal("1.00"))));
        }
        for (int i = 0; i < 4; i++) {
            users.add(List.of(new Planned(carol, bob, new BigDecimal("1.00"))));
        }

        String before = Metrics.scrape();
        List<Outcome> outcomes = ConcurrentTransfers.run("batched", users);
        String summary = ConcurrentTransfers.summary(outcomes);
        String after = Metrics.scrape();
        System.out.printf("batched, 18 at once: %s in %d batches%n", summary,
                Metrics.delta(before, after, "bank_transfer_batch_size_count", ""));

        assertEquals(2 + 4, ConcurrentTransfers.count(outcomes, 201), summary);
        assertEquals(10, ConcurrentTransfers.count(outcomes, "/problems/insufficient-funds"), summary);
        assertEquals(2, ConcurrentTransfers.count(outcomes, "/problems/account-not-found"), summary);
        assertEquals(new BigDecimal("2.00"), Bank.balance(alice));
        assertEquals(18, Metrics.delta(before, after, "bank_transfer_batch_size_sum", ""), "every member in a batch");
        Books.assertBalanced(Map.of(alice, new BigDecimal("10.00"), bob, new BigDecimal("0.00"),
                carol, new BigDecimal("100.00")), outcomes);
    }
}
