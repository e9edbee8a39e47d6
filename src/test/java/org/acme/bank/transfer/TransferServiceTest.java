package org.acme.bank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.acme.bank.ledger.Transfer;
import org.junit.jupiter.api.Test;

/** The choice of strategy by name, without a database: the strategies here only say who they are. */
class TransferServiceTest {

    private record NamedStrategy(String name, boolean enabled) implements TransferStrategy {
        @Override
        public CompletionStage<List<Transfer>> submit(Movement movement, Executor workers) {
            throw new UnsupportedOperationException("not needed to choose a strategy");
        }

        @Override
        public Set<ConflictKind> conflicts() {
            return Set.of();
        }
    }

    private final TransferStrategy pessimistic = new NamedStrategy("pessimistic", true);
    private final TransferStrategy optimistic = new NamedStrategy("optimistic", true);
    private final TransferStrategy naive = new NamedStrategy("naive", false);
    private final TransferService service = new TransferService(List.of(pessimistic, optimistic, naive), new SimpleMeterRegistry(), null,
            null);

    @Test
    void choosesTheStrategyByItsName() {
        assertSame(pessimistic, service.strategy("pessimistic"));
        assertSame(optimistic, service.strategy("optimistic"));
    }

    @Test
    void aDisabledStrategyIsAnsweredLikeAnUnknownOne() {
        UnknownStrategyException disabled = assertThrows(UnknownStrategyException.class, () -> service.strategy("naive"));
        UnknownStrategyException unknown = assertThrows(UnknownStrategyException.class, () -> service.strategy("magic"));

        assertEquals(unknown.getMessage().replace("magic", "naive"), disabled.getMessage());
    }

    @Test
    void namesAreExact() {
        assertThrows(UnknownStrategyException.class, () -> service.strategy("Pessimistic"));
        assertThrows(UnknownStrategyException.class, () -> service.strategy(""));
    }
}
