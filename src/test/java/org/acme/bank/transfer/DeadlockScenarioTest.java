package org.acme.bank.transfer;

import static org.acme.bank.support.ConcurrentTransfers.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Bank.Transfer;
import org.acme.bank.support.Books;
import org.acme.bank.support.ConcurrentTransfers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The article's scenario: 8 users released together, half sending Alice to Bob and half Bob to Alice, with 100ms
 * between the first and the second lock.
 */
@QuarkusTest
@TestProfile(ArticleScenarioProfile.class)
class DeadlockScenarioTest {

    private static final int USERS = 8;
    private static final String DEADLOCK = "/problems/deadlock";

    private final Bank bank = Bank.app();

    @Test
    void lockingSenderThenReceiverDeadlocksAndMovesNoMoneyForTheVictims() throws Exception {
        Scenario scenario = Scenario.open(bank);

        List<Answer> outcomes = ConcurrentTransfers.run(bank, scenario.users("naive"));
        System.out.printf("article scenario, naive: %s%n", ConcurrentTransfers.summary(outcomes));

        long deadlocks = count(outcomes, DEADLOCK);
        assertTrue(deadlocks >= 1, "expected at least one deadlock: " + ConcurrentTransfers.summary(outcomes));
        assertEquals(USERS, count(outcomes, 201) + count(outcomes, 409), "only successes and conflicts: " + ConcurrentTransfers.summary(outcomes));
        Books.assertBalanced(bank, scenario.opening(), outcomes);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "optimistic", "batched"})
    void theSafeStrategiesCompleteEveryTransferWithoutDeadlock(String strategy) throws Exception {
        Scenario scenario = Scenario.open(bank);

        List<Answer> outcomes = ConcurrentTransfers.run(bank, scenario.users(strategy));
        System.out.printf("article scenario, %s: %s%n", strategy, ConcurrentTransfers.summary(outcomes));

        assertEquals(USERS, count(outcomes, 201), "every transfer succeeds: " + ConcurrentTransfers.summary(outcomes));
        assertEquals(0, count(outcomes, DEADLOCK));
        Books.assertBalanced(bank, scenario.opening(), outcomes);
        if (strategy.equals("optimistic")) {
            // Eight readers of the same rows cannot all win the first time: some must have retried.
            assertTrue(outcomes.stream().anyMatch(outcome -> outcome.attempts() > 1), outcomes.toString());
        }
    }

    private record Scenario(long alice, long bob) {

        static Scenario open(Bank bank) {
            return new Scenario(bank.openAccount("Alice", "1000.00"), bank.openAccount("Bob", "1000.00"));
        }

        Map<Long, BigDecimal> opening() {
            return Map.of(alice, new BigDecimal("1000.00"), bob, new BigDecimal("1000.00"));
        }

        List<List<Transfer>> users(String strategy) {
            List<List<Transfer>> users = new ArrayList<>();
            for (int user = 0; user < USERS; user++) {
                boolean aliceToBob = user % 2 == 0;
                users.add(List.of(new Transfer(strategy, aliceToBob ? alice : bob, aliceToBob ? bob : alice, "10.00")));
            }
            return users;
        }
    }
}
