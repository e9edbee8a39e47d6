package org.acme.bank.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.restassured.path.json.JsonPath;

/** The invariants every concurrency test checks, read back from the service after the run. */
public final class Books {

    private Books() {
    }

    /**
     * Money conserved, no negative balance, every balance exactly what the client's successful transfers imply, as
     * many ledger rows as successes, and the service's own audit consistent.
     */
    public static void assertBalanced(Map<Long, BigDecimal> opening, List<ConcurrentTransfers.Outcome> outcomes) {
        Map<Long, BigDecimal> expected = ConcurrentTransfers.expectedBalances(opening, outcomes);
        BigDecimal totalBefore = opening.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal totalAfter = BigDecimal.ZERO;
        int ledgerEntries = 0;
        for (Long account : opening.keySet()) {
            BigDecimal balance = Bank.balance(account);
            assertTrue(balance.signum() >= 0, "account " + account + " went negative: " + balance);
            assertEquals(0, expected.get(account).compareTo(balance),
                    "account " + account + " holds " + balance + ", the successful transfers imply " + expected.get(account));
            totalAfter = totalAfter.add(balance);
            ledgerEntries += Bank.transferCount(account);
        }
        assertEquals(0, totalBefore.compareTo(totalAfter), "money was created or lost");
        long successes = outcomes.stream().filter(ConcurrentTransfers.Outcome::succeeded).count();
        // Each transfer appears in the history of both of its accounts.
        assertEquals(successes * 2, ledgerEntries, "ledger rows do not match the successful transfers");
        JsonPath audit = Bank.audit();
        assertEquals(0, audit.getLong("negativeBalances"));
        assertEquals(0, audit.getLong("mismatchedAccounts"));
    }
}
