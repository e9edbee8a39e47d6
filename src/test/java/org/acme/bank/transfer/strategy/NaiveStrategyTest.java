package org.acme.bank.transfer.strategy;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;

import io.quarkus.test.junit.QuarkusTest;
import org.acme.bank.support.Bank;
import org.junit.jupiter.api.Test;

/** Without contention the naive strategy is correct; its flaw only shows under concurrency (DeadlockScenarioTest). */
@QuarkusTest
class NaiveStrategyTest {

    @Test
    void movesMoneyWhenNobodyElseIsAround() {
        long alice = Bank.openAccount("Alice", "20.00");
        long bob = Bank.openAccount("Bob", "0.00");

        Bank.transfer("naive", alice, bob, "5.00")
                .then().statusCode(201).body("strategy", equalTo("naive")).body("attempts", equalTo(1));

        assertEquals(new BigDecimal("15.00"), Bank.balance(alice));
        assertEquals(new BigDecimal("5.00"), Bank.balance(bob));
    }

    @Test
    void insufficientFundsChangeNothing() {
        long alice = Bank.openAccount("Alice", "1.00");
        long bob = Bank.openAccount("Bob", "0.00");

        Bank.transfer("naive", alice, bob, "5.00").then().statusCode(422);

        assertEquals(new BigDecimal("1.00"), Bank.balance(alice));
        assertEquals(0, Bank.transferCount(alice));
    }
}
