package org.acme.bank.transfer;

import static org.acme.bank.support.ConcurrentTransfers.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Books;
import org.acme.bank.support.ConcurrentTransfers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 16 threads released together, each sending 3-leg transactions and single transfers (and, for {@code batched}, bulk
 * requests) in every direction over 4 accounts that hold too little for all of them: every answered success is in the
 * balances, every refusal left nothing, and no strategy but {@code naive} loses a race.
 */
@QuarkusTest
class TransactionHotSpotTest {

    private static final int THREADS = 16;
    private static final int REQUESTS_PER_THREAD = 8;
    private static final int ACCOUNTS = 4;
    private static final String OWNER = "Transaction hot spot";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched", "naive"})
    void everyLegOfEverySuccessIsInTheBooksAndNothingOfARefusal(String strategy) throws Exception {
        Bank bank = Bank.app().asCustomer(OWNER);
        Map<Long, BigDecimal> opening = Bank.app().openAccounts(ACCOUNTS, OWNER, "100.00");
        List<Long> accounts = new ArrayList<>(opening.keySet());
        Random random = new Random(strategy.hashCode());
        List<List<Supplier<Answer>>> users = new ArrayList<>();
        for (int user = 0; user < THREADS; user++) {
            List<Supplier<Answer>> requests = new ArrayList<>();
            for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                List<String> legs = new ArrayList<>();
                for (int leg = 0; leg < (i % 4 == 3 ? 1 : 3); leg++) {
                    int from = random.nextInt(ACCOUNTS);
                    int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                    legs.add("{\"from\":" + accounts.get(from) + ",\"to\":" + accounts.get(to) + ",\"amount\":"
                            + BigDecimal.valueOf(100 + random.nextInt(4000), 2) + "}");
                }
                String path;
                String body;
                if (legs.size() == 1 && strategy.equals("batched") && i % 8 == 7) {
                    path = "/transfers/bulk";
                    body = "{\"transfers\":[" + legs.get(0) + "," + legs.get(0) + "]}";
                } else if (legs.size() == 1) {
                    path = "/transfers/" + strategy;
                    body = legs.get(0);
                } else {
                    path = "/transactions/" + strategy;
                    body = "{\"legs\":[" + String.join(",", legs) + "]}";
                }
                requests.add(() -> bank.post(path, body, Map.of()));
            }
            users.add(requests);
        }

        List<Answer> answers = ConcurrentTransfers.runRequests(users);

        String summary = ConcurrentTransfers.summary(answers);
        System.out.printf("transaction hot spot, %s: %s%n", strategy, summary);
        assertEquals(THREADS * REQUESTS_PER_THREAD, answers.size());
        assertTrue(count(answers, 201) > 0, "some applied: " + summary);
        long raced = count(answers, 409) + count(answers, 503);
        switch (strategy) {
            case "pessimistic", "batched" -> {
                assertEquals(0, raced, "no race is lost: " + summary);
                assertTrue(count(answers, 422) > 0, "the balances refused some: " + summary);
            }
            case "optimistic" -> assertEquals(0, count(answers, 503) + count(answers, "/problems/deadlock"),
                    "only version races, retried: " + summary);
            default -> assertTrue(count(answers, "/problems/deadlock") > 0, "legs locked in the order asked "
                    + "deadlock: " + summary);
        }
        assertEquals(answers.size(), count(answers, 200) + count(answers, 201) + count(answers, 422) + raced, summary);

        Map<Long, BigDecimal> expected = new HashMap<>(opening);
        int legsApplied = 0;
        for (Answer answer : answers) {
            for (JsonNode row : applied(answer)) {
                expected.merge(row.get("from").asLong(), row.get("amount").decimalValue().negate(), BigDecimal::add);
                expected.merge(row.get("to").asLong(), row.get("amount").decimalValue(), BigDecimal::add);
                legsApplied++;
            }
        }
        int historyRows = 0;
        for (long account : accounts) {
            assertEquals(0, expected.get(account).compareTo(bank.balance(account)),
                    "account " + account + " is what the successes say: " + summary);
            assertTrue(bank.balance(account).signum() >= 0);
            historyRows += Bank.app().transferCount(account);
        }
        assertEquals(2 * legsApplied, historyRows, "each applied leg is one ledger row, in two histories");
        Books.assertAuditConsistent(Bank.app());
    }

    /** The ledger rows an answer reports as written: a transfer, a transaction's legs, a bulk's 201 items. */
    private static List<JsonNode> applied(Answer answer) {
        List<JsonNode> rows = new ArrayList<>();
        if (answer.status() == 201 && answer.json().has("legs")) {
            answer.json().get("legs").forEach(rows::add);
        } else if (answer.status() == 201) {
            rows.add(answer.json());
        } else if (answer.status() == 200 && answer.json().has("results")) {
            answer.json().get("results").forEach(result -> {
                if (result.get("status").asInt() == 201) {
                    rows.add(result.get("transfer"));
                }
            });
        }
        return rows;
    }
}
