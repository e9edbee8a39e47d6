package org.acme.bank.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class AccountTest {

    @Test
    void opensWithScaleTwoAndRemembersTheOpeningBalance() {
        Account account = Account.open("Alice", new BigDecimal("100"));

        assertEquals(new BigDecimal("100.00"), account.balance);
        assertEquals(new BigDecimal("100.00"), account.openingBalance);
    }

    @Test
    void debitAndCreditMoveTheBalance() {
        Account account = Account.open("Alice", new BigDecimal("100.00"));

        account.debit(new BigDecimal("30.25"));
        account.credit(new BigDecimal("0.50"));

        assertEquals(new BigDecimal("70.25"), account.balance);
        assertEquals(new BigDecimal("100.00"), account.openingBalance);
    }

    @Test
    void debitOfTheWholeBalanceLeavesZero() {
        Account account = Account.open("Alice", new BigDecimal("10.00"));

        account.debit(new BigDecimal("10.00"));

        assertEquals(new BigDecimal("0.00"), account.balance);
    }

    @Test
    void debitBeyondTheBalanceIsRefusedAndChangesNothing() {
        Account account = Account.open("Alice", new BigDecimal("10.00"));

        assertThrows(InsufficientFundsException.class, () -> account.debit(new BigDecimal("10.01")));
        assertEquals(new BigDecimal("10.00"), account.balance);
    }

    @Test
    void creditUpToTheLimitIsRefused() {
        Account account = Account.open("Alice", new BigDecimal("999999999999999.00"));

        assertThrows(BalanceLimitExceededException.class, () -> account.credit(new BigDecimal("1.00")));
        assertEquals(new BigDecimal("999999999999999.00"), account.balance);
    }
}
