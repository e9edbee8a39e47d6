package org.acme.bank.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The lab counts every retry the service reports, those of the transfers that finally gave up included. */
class TallyTest {

    @Test
    void retriesOfSuccessesAndOfExhaustedTransfersAreCounted() {
        Attack.Tally tally = new Attack.Tally();

        tally.record(new BankClient.Answer(201, null, 3), 1_000);
        tally.record(new BankClient.Answer(409, "/problems/retries-exhausted", 10), 1_000);
        tally.record(new BankClient.Answer(409, "/problems/deadlock", 1), 1_000);
        tally.record(new BankClient.Answer(422, "/problems/insufficient-funds", 0), 1_000);

        RunResult result = tally.result("optimistic", 1, 1.0, true, RunResult.Audit.CONSISTENT);
        assertEquals(2 + 9, result.retries());
        assertEquals(1, result.succeeded());
        assertEquals(1, result.deadlocks());
        assertEquals(1, result.otherConflicts());
    }
}
