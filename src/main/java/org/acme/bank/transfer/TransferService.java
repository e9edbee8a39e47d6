package org.acme.bank.transfer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.acme.bank.BankException;
import org.acme.bank.SqlStates;
import org.acme.bank.account.InsufficientFundsException;
import org.acme.bank.ledger.LedgerService;
import org.jboss.logging.Logger;

/**
 * Moves money with the strategy the client named, and accounts for every attempt: a latency timer per strategy and
 * outcome ({@code bank_transfers_seconds} in Prometheus) and one log line per failed transfer. Successes are not
 * logged: the hot path stays quiet.
 */
@ApplicationScoped
public class TransferService {

    private static final Logger LOG = Logger.getLogger(TransferService.class);

    private record TimerKey(String strategy, String outcome) {
    }

    private final Map<String, TransferStrategy> enabledStrategies;
    /** One latency timer per strategy and outcome, found again without asking the registry on every transfer. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final LedgerService ledger;
    /** Quarkus' worker pool: transactions block their thread, and request threads must not. */
    private final Executor workers;

    @Inject
    TransferService(@Any Instance<TransferStrategy> strategies, MeterRegistry registry, LedgerService ledger) {
        this(strategies.stream().toList(), registry, ledger);
    }

    TransferService(List<TransferStrategy> strategies, MeterRegistry registry, LedgerService ledger) {
        this(strategies, registry, ledger, Infrastructure.getDefaultWorkerPool());
    }

    TransferService(List<TransferStrategy> strategies, MeterRegistry registry, LedgerService ledger, Executor workers) {
        this.enabledStrategies = strategies.stream()
                .filter(TransferStrategy::enabled)
                .collect(Collectors.toUnmodifiableMap(TransferStrategy::name, Function.identity()));
        this.registry = registry;
        this.ledger = ledger;
        this.workers = workers;
    }

    /**
     * Moves the money once per idempotency key, and completes when the transfer committed or was refused. The key is
     * claimed first in the transfer's own transaction, so a repeat of a committed transfer stops there, and a repeat
     * racing its original waits on the key until the original commits (then it is a repeat) or rolls back (then it
     * runs). Either way the key decides the answer: the transfer it stands for (replayed), or
     * {@link IdempotencyKeyReusedException} when that transfer was another request. A failure is the strategy's own
     * exception, never wrapped.
     */
    public CompletionStage<TransferResult> transfer(String strategyName, TransferCommand command) {
        TransferStrategy strategy = strategy(strategyName);
        Timer.Sample started = Timer.start(registry);
        CompletableFuture<TransferResult> answer = new CompletableFuture<>();
        execute(strategy, command).whenComplete((result, failure) -> {
            RuntimeException cause = failure == null ? null : unwrapped(failure);
            String outcome = cause == null ? (result.replayed() ? "replayed" : "succeeded") : outcome(cause);
            started.stop(timers.computeIfAbsent(new TimerKey(strategyName, outcome), key -> Timer.builder("bank.transfers")
                    .description("Transfers by strategy and outcome, with their latency")
                    .tags("strategy", key.strategy(), "outcome", key.outcome())
                    .publishPercentileHistogram()
                    .register(registry)));
            if (cause == null) {
                answer.complete(result);
            } else {
                log(strategyName, command, outcome, cause);
                answer.completeExceptionally(cause);
            }
        });
        return answer;
    }

    private CompletionStage<TransferResult> execute(TransferStrategy strategy, TransferCommand command) {
        return strategy.submit(command, workers)
                .thenApply(transfer -> new TransferResult(transfer, false))
                .exceptionallyCompose(failure -> {
                    if (!(unwrapped(failure) instanceof IdempotencyKeyBoundException)) {
                        return CompletableFuture.failedStage(failure);
                    }
                    // The key's transfer is replayed; if it was purged meanwhile (after the retention), the key is free
                    // again and the transfer runs.
                    return CompletableFuture.supplyAsync(() -> replay(strategy.name(), command), workers)
                            .thenCompose(replayed -> replayed.map(CompletableFuture::completedStage)
                                    .orElseGet(() -> strategy.submit(command, workers)
                                            .thenApply(transfer -> new TransferResult(transfer, false))));
                });
    }

    private static RuntimeException unwrapped(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    /** The transfer the request's key stands for, if the request is that transfer's; refused if it is another's. */
    private Optional<TransferResult> replay(String strategyName, TransferCommand command) {
        return ledger.findByIdempotencyKey(command.idempotencyKey()).map(earlier -> {
            if (earlier.fromAccountId != command.from() || earlier.toAccountId != command.to()
                    || earlier.amount.compareTo(command.amount()) != 0 || !earlier.strategy.equals(strategyName)) {
                throw new IdempotencyKeyReusedException(earlier.id);
            }
            return new TransferResult(earlier, true);
        });
    }

    TransferStrategy strategy(String name) {
        TransferStrategy strategy = enabledStrategies.get(name);
        if (strategy == null) {
            throw new UnknownStrategyException(name);
        }
        return strategy;
    }

    private static String outcome(RuntimeException failure) {
        if (failure instanceof InsufficientFundsException) {
            return "insufficient_funds";
        }
        if (failure instanceof ConcurrencyConflictException conflict) {
            return conflict.kind() == ConflictKind.DEADLOCK ? "deadlock" : "conflict";
        }
        if (failure instanceof TransferOutcomeUnknownException) {
            return "unknown";
        }
        if (failure instanceof TransferQueueFullException) {
            return "unavailable";
        }
        if (failure instanceof BankException) {
            return "rejected";
        }
        return SqlStates.isDatabaseUnavailable(failure) ? "unavailable" : "error";
    }

    private static void log(String strategy, TransferCommand command, String outcome, RuntimeException failure) {
        String sqlState = failure instanceof ConcurrencyConflictException conflict
                ? conflict.sqlState()
                : SqlStates.of(failure).orElse(null);
        Logger.Level level = switch (outcome) {
            case "deadlock", "conflict", "unavailable", "unknown" -> Logger.Level.WARN;
            case "error" -> Logger.Level.ERROR;
            default -> Logger.Level.INFO;
        };
        LOG.logf(level, "Transfer failed: strategy=%s from=%d to=%d amount=%s outcome=%s sqlState=%s reason=%s",
                strategy, command.from(), command.to(), command.amount().toPlainString(), outcome, sqlState,
                failure.getMessage());
    }
}
