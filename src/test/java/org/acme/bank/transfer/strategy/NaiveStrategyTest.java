package org.acme.bank.transfer.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;

import io.quarkus.test.junit.QuarkusTest;
import org.acme.bank.support.Bank;
import org.junit.jupiter.api.Test;

/** Without contention the naive strategy is correct; its flaw only shows under concurrency (DeadlockScenarioTest). */
@QuarkusTest
class NaiveStrategyTest {

    private final Bank bank = Bank.app();

    @Test
    void movesMoneyWhenNobodyElseIsAround() {
        long alice = bank.openAccount("Alice", "20.00");
        long bob = bank.openAccount("Bob", "0.00");

        bank.transfer("naive", alice, bob, "5.00")
                .expect(201).expectField("strategy", "naive").expectField("attempts", "1");

        assertEquals(new BigDecimal("15.00"), bank.balance(alice));
        assertEquals(new BigDecimal("5.00"), bank.balance(bob));
    }

    @Test
    void insufficientFundsChangeNothing() {
        long alice = bank.openAccount("Alice", "1.00");
        long bob = bank.openAccount("Bob", "0.00");

        bank.transfer("naive", alice, bob, "5.00").expect(422);

        assertEquals(new BigDecimal("1.00"), bank.balance(alice));
        assertEquals(0, bank.transferCount(alice));
    }
}
