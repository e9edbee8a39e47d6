package org.acme.bank.transfer.strategy;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.acme.bank.Caller;
import org.acme.bank.config.Settings;
import org.acme.bank.transfer.TransferCommand;
import org.acme.bank.transfer.TransferOutcomeUnknownException;
import org.junit.jupiter.api.Test;

/**
 * A batch that fails with an {@link Error} may have failed after its COMMIT: its members are answered
 * {@code 503 outcome-unknown}, never "nothing was changed" (a 500 before the fix). The writer stands in for the
 * database here, which cannot be made to throw an Error on demand; the writer goes on with the next batch.
 */
class BatchedFailureTest {

    @Test
    void anErrorInABatchLeavesTheOutcomeUnknown() throws Exception {
        BatchWriter failing = new BatchWriter(null, null, null) {
            @Override
            List<Outcome> apply(List<? extends Request> batch) {
                throw new StackOverflowError("after the COMMIT, for all the writer knows");
            }
        };
        BatchedStrategy strategy = new BatchedStrategy(failing, Settings.defaultConfig(), new SimpleMeterRegistry());
        strategy.start(null);
        try {
            CompletableFuture<?> answer = strategy.submit(
                    new TransferCommand(new Caller("Alice", Set.of()), 1, 2, new BigDecimal("1.00"), null), Runnable::run).toCompletableFuture();

            ExecutionException failed = assertThrows(ExecutionException.class, () -> answer.get(10, TimeUnit.SECONDS));
            TransferOutcomeUnknownException unknown =
                    assertInstanceOf(TransferOutcomeUnknownException.class, failed.getCause());
            assertNull(unknown.transferId(), "the batch's ids are not known");
            assertInstanceOf(StackOverflowError.class, unknown.getCause());
        } finally {
            strategy.drain(null);
        }
    }
}
