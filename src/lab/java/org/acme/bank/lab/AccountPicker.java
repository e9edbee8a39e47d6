package org.acme.bank.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Chooses account indexes 0..K-1: uniformly, or skewed by a Zipf law of exponent s (index i drawn with probability
 * proportional to 1/(i+1)^s), the way real payment traffic concentrates on a few busy accounts. Also chooses which of
 * the owners' existing accounts make up the K.
 */
final class AccountPicker {

    private final int accounts;
    private final double[] cumulative;

    AccountPicker(int accounts, double zipfExponent) {
        this.accounts = accounts;
        if (zipfExponent == 0) {
            this.cumulative = null;
            return;
        }
        this.cumulative = new double[accounts];
        double sum = 0;
        for (int i = 0; i < accounts; i++) {
            sum += 1 / Math.pow(i + 1, zipfExponent);
            cumulative[i] = sum;
        }
        for (int i = 0; i < accounts; i++) {
            cumulative[i] /= sum;
        }
    }

    int pick(RandomGenerator random) {
        if (cumulative == null) {
            return random.nextInt(accounts);
        }
        int index = Arrays.binarySearch(cumulative, random.nextDouble());
        return Math.min(index < 0 ? -index - 1 : index, accounts - 1);
    }

    /**
     * Up to {@code count} accounts taken from each owner's in turn (the first of each owner, then the second of each,
     * and so on), so that a few accounts still belong to as many owners as possible: Alice and Bob, not Alice twice.
     */
    static <A> List<A> inTurn(List<List<A>> accountsByOwner, int count) {
        List<A> chosen = new ArrayList<>(count);
        for (int round = 0; chosen.size() < count; round++) {
            int taken = chosen.size();
            for (List<A> owned : accountsByOwner) {
                if (round < owned.size() && chosen.size() < count) {
                    chosen.add(owned.get(round));
                }
            }
            if (chosen.size() == taken) {
                break;
            }
        }
        return chosen;
    }

    /** Two different accounts. */
    int[] pickPair(RandomGenerator random) {
        int from = pick(random);
        if (accounts == 2) {
            return new int[] {from, 1 - from};
        }
        int to = pick(random);
        while (to == from) {
            to = pick(random);
        }
        return new int[] {from, to};
    }
}
