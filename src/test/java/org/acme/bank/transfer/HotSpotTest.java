package org.acme.bank.transfer;

import static org.acme.bank.support.ConcurrentTransfers.count;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.quarkus.test.junit.QuarkusTest;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Bank.Transfer;
import org.acme.bank.support.Books;
import org.acme.bank.support.ConcurrentTransfers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** 32 threads x 25 transfers over 4 accounts, in every direction, released together. */
@QuarkusTest
public class HotSpotTest {

    private static final int THREADS = 32;
    private static final int TRANSFERS_PER_THREAD = 25;
    private static final int ACCOUNTS = 4;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "naive", "batched"})
    void theBooksBalanceUnderContention(String strategy) throws Exception {
        assertBooksBalanceUnderContention(strategy);
    }

    public static void assertBooksBalanceUnderContention(String strategy) throws Exception {
        // Enough money that no transfer can fail for lack of funds: every failure is about concurrency.
        Bank bank = Bank.app();
        Map<Long, BigDecimal> opening = new LinkedHashMap<>();
        List<Long> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            long id = bank.openAccount("Hot " + i, "10000.00");
            accounts.add(id);
            opening.put(id, new BigDecimal("10000.00"));
        }
        Random random = new Random(strategy.hashCode());
        List<List<Transfer>> users = new ArrayList<>();
        for (int user = 0; user < THREADS; user++) {
            List<Transfer> transfers = new ArrayList<>();
            for (int i = 0; i < TRANSFERS_PER_THREAD; i++) {
                int from = random.nextInt(ACCOUNTS);
                int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                transfers.add(new Transfer(strategy, accounts.get(from), accounts.get(to),
                        BigDecimal.valueOf(1 + random.nextInt(1000), 2), null));
            }
            users.add(transfers);
        }

        List<Answer> outcomes = ConcurrentTransfers.run(bank, users);

        int requests = THREADS * TRANSFERS_PER_THREAD;
        String summary = ConcurrentTransfers.summary(outcomes);
        System.out.printf("hot spot, %s: %s%n", strategy, summary);
        assertEquals(requests, outcomes.size());
        switch (strategy) {
            case "pessimistic", "batched" ->
                    assertEquals(requests, count(outcomes, 201), "every transfer completes: " + summary);
            case "optimistic" -> {
                assertEquals(requests, count(outcomes, 201) + count(outcomes, 409), "no server error: " + summary);
                assertEquals(0, count(outcomes, "/problems/deadlock"), "ordered flushes never deadlock: " + summary);
            }
            // Deadlock victims wait with their connection held, so the pool may run dry: a 503, never a 500.
            default -> assertEquals(requests, count(outcomes, 201) + count(outcomes, 409) + count(outcomes, 503),
                    "only successes, conflicts and unavailability: " + summary);
        }
        Books.assertBalanced(bank, opening, outcomes);
    }
}
