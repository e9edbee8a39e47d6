package org.acme.bank.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AccountPickerTest {

    @Test
    void uniformSpreadsEvenly() {
        int[] hits = hits(new AccountPicker(10, 0), 10, 100_000);
        for (int count : hits) {
            assertTrue(count > 9_000 && count < 11_000, "uniform: " + count);
        }
    }

    @Test
    void zipfConcentratesOnTheFirstAccounts() {
        int[] hits = hits(new AccountPicker(1000, 1.0), 1000, 100_000);
        // With s = 1 over 1000 accounts, account 0 draws about 1/H(1000) = 13%, account 1 half of that.
        assertTrue(hits[0] > 11_000 && hits[0] < 16_000, "first: " + hits[0]);
        assertTrue(hits[1] > hits[0] / 2 - 1_500 && hits[1] < hits[0] / 2 + 1_500, "second: " + hits[1]);
        assertTrue(hits[999] < 100, "last: " + hits[999]);
    }

    @Test
    void aPairIsAlwaysTwoDifferentAccounts() {
        SplittableRandom random = new SplittableRandom(7);
        AccountPicker two = new AccountPicker(2, 3.0);
        AccountPicker many = new AccountPicker(50, 2.0);
        for (int i = 0; i < 10_000; i++) {
            int[] pair = two.pickPair(random);
            assertNotEquals(pair[0], pair[1]);
            pair = many.pickPair(random);
            assertNotEquals(pair[0], pair[1]);
        }
    }

    @Test
    void theOwnersAccountsAreTakenFromEachOwnerInTurn() {
        List<List<Long>> byOwner = List.of(List.of(1L, 6L, 7L), List.of(2L), List.of(), List.of(4L, 5L));

        assertEquals(List.of(1L, 2L), AccountPicker.inTurn(byOwner, 2), "two owners, not one owner twice");
        assertEquals(List.of(1L, 2L, 4L, 6L, 5L), AccountPicker.inTurn(byOwner, 5));
        assertEquals(List.of(1L, 2L, 4L, 6L, 5L, 7L), AccountPicker.inTurn(byOwner, 10), "all there are, no more");
        assertEquals(List.of(), AccountPicker.inTurn(List.of(List.of(), List.of()), 2));
    }

    private static int[] hits(AccountPicker picker, int accounts, int draws) {
        SplittableRandom random = new SplittableRandom(42);
        int[] hits = new int[accounts];
        for (int i = 0; i < draws; i++) {
            hits[picker.pick(random)]++;
        }
        return hits;
    }
}
