package org.acme.bank.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import org.acme.bank.Caller;
import org.acme.bank.ForbiddenActionException;
import org.junit.jupiter.api.Test;

class AccountTest {

    private static final Caller ALICE = new Caller("Alice", Set.of());
    private static final Caller BOB = new Caller("Bob", Set.of());
    private static final Caller TELLER = new Caller("Tess", Set.of(Caller.Role.TELLER));
    private static final Caller AUDITOR = new Caller("Audrey", Set.of(Caller.Role.AUDITOR));

    @Test
    void opensWithScaleTwoAndRemembersTheOpeningBalance() {
        Account account = Account.open("Alice", new BigDecimal("100"));

        assertEquals(new BigDecimal("100.00"), account.balance);
        assertEquals(new BigDecimal("100.00"), account.openingBalance);
    }

    @Test
    void debitAndCreditMoveTheBalance() {
        Account account = Account.open("Alice", new BigDecimal("100.00"));

        account.debit(ALICE, new BigDecimal("30.25"));
        account.credit(new BigDecimal("0.50"));

        assertEquals(new BigDecimal("70.25"), account.balance);
        assertEquals(new BigDecimal("100.00"), account.openingBalance);
    }

    @Test
    void debitOfTheWholeBalanceLeavesZero() {
        Account account = Account.open("Alice", new BigDecimal("10.00"));

        account.debit(ALICE, new BigDecimal("10.00"));

        assertEquals(new BigDecimal("0.00"), account.balance);
    }

    @Test
    void debitBeyondTheBalanceIsRefusedAndChangesNothing() {
        Account account = Account.open("Alice", new BigDecimal("10.00"));

        assertThrows(InsufficientFundsException.class, () -> account.debit(ALICE, new BigDecimal("10.01")));
        assertEquals(new BigDecimal("10.00"), account.balance);
    }

    @Test
    void creditUpToTheLimitIsRefused() {
        Account account = Account.open("Alice", new BigDecimal("999999999999999.00"));

        assertThrows(BalanceLimitExceededException.class, () -> account.credit(new BigDecimal("1.00")));
        assertEquals(new BigDecimal("999999999999999.00"), account.balance);
    }

    @Test
    void onlyTheOwnerDebitsAndNoRoleBypassesIt() {
        Account account = Account.open("Alice", new BigDecimal("10.00"));
        account.id = 7L;

        for (Caller other : List.of(BOB, TELLER, AUDITOR, new Caller("alice", Set.of()))) {
            assertThrows(AccountNotFoundException.class, () -> account.debit(other, new BigDecimal("1.00")), other::subject);
            assertThrows(AccountNotFoundException.class, () -> account.debit(other, new BigDecimal("99.00")),
                    "refused for whose it is before its balance: " + other.subject());
        }
        assertEquals(new BigDecimal("10.00"), account.balance);
    }

    @Test
    void theOwnerTellersAndAuditorsSeeAnAccountAndNoOtherCustomer() {
        Account account = Account.open("Alice", BigDecimal.ZERO);

        assertTrue(account.isVisibleTo(ALICE));
        assertTrue(account.isVisibleTo(TELLER));
        assertTrue(account.isVisibleTo(AUDITOR));
        assertFalse(account.isVisibleTo(BOB));
    }

    @Test
    void aCustomerOpensEmptyAccountsForThemselvesOnly() {
        assertEquals("Alice", Account.open(ALICE, null, BigDecimal.ZERO).owner);
        assertEquals("Alice", Account.open(ALICE, "Alice", BigDecimal.ZERO).owner);
        assertThrows(ForbiddenActionException.class, () -> Account.open(ALICE, "Bob", BigDecimal.ZERO));
        assertThrows(ForbiddenActionException.class, () -> Account.open(ALICE, null, new BigDecimal("0.01")));
        assertThrows(ForbiddenActionException.class, () -> Account.open(AUDITOR, "Bob", BigDecimal.ZERO));
        assertThrows(ForbiddenActionException.class, () -> Account.open(AUDITOR, null, BigDecimal.TEN));
    }

    @Test
    void aTellerOpensAccountsForAnyoneWithMoneyInThem() {
        Account account = Account.open(TELLER, "Bob", new BigDecimal("250"));

        assertEquals("Bob", account.owner);
        assertEquals(new BigDecimal("250.00"), account.balance);
        assertEquals("Tess", Account.open(TELLER, null, BigDecimal.ONE).owner);
    }
}
