package org.acme.bank.transfer.strategy;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.acme.bank.transfer.HotSpotTest;
import org.junit.jupiter.api.Test;

/** Three writers take batches from one queue: their batches lock in id order, so the hot spot never deadlocks. */
@QuarkusTest
@TestProfile(BatchedWritersTest.ThreeWriters.class)
class BatchedWritersTest {

    public static class ThreeWriters implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bank.transfer.batched.writers", "3", "bank.transfer.batched.max-size", "8");
        }
    }

    @Test
    void threeWritersOnTheHotSpotBalanceTheBooks() throws Exception {
        HotSpotTest.assertBooksBalanceUnderContention("batched");
    }
}
