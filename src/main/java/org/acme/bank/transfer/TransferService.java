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

import org.acme.bank.SqlStates;
import org.acme.bank.ledger.LedgerService;
import org.acme.bank.ledger.Transfer;
import org.jboss.logging.Logger;

/**
 * Moves money with the strategy the client named, and accounts for every attempt: a latency timer per strategy and
 * outcome ({@code bank_transfers_seconds} in Prometheus) and one log line per failed transfer. Successes are not
 * logged: the hot path stays quiet.
 */
@ApplicationScoped
public class TransferService {

    private static final Logger LOG = Logger.getLogger(TransferService.class);

    /**
     * How often one request claims its idempotency key again after finding it bound and then free: twins released it
     * (refused) or the purge forgot it. Each round decides at least the twin that held the key.
     */
    private static final int MAX_KEY_CLAIMS = 64;

    private record TimerKey(String strategy, TransferOutcome outcome) {
    }

    private final Map<String, TransferStrategy> enabledStrategies;
    /** One latency timer per strategy and outcome, found again without asking the registry on every transfer. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final LedgerService ledger;
    private final ConfirmedCommit confirmedCommit;
    /** Quarkus' worker pool: transactions block their thread, and request threads must not. */
    private final Executor workers;

    @Inject
    TransferService(@Any Instance<TransferStrategy> strategies, MeterRegistry registry, LedgerService ledger,
            ConfirmedCommit confirmedCommit) {
        this(strategies.stream().toList(), registry, ledger, confirmedCommit);
    }

    TransferService(List<TransferStrategy> strategies, MeterRegistry registry, LedgerService ledger,
            ConfirmedCommit confirmedCommit) {
        this(strategies, registry, ledger, confirmedCommit, Infrastructure.getDefaultWorkerPool());
    }

    TransferService(List<TransferStrategy> strategies, MeterRegistry registry, LedgerService ledger,
            ConfirmedCommit confirmedCommit, Executor workers) {
        this.enabledStrategies = strategies.stream()
                .filter(TransferStrategy::enabled)
                .collect(Collectors.toUnmodifiableMap(TransferStrategy::name, Function.identity()));
        this.registry = registry;
        this.ledger = ledger;
        this.confirmedCommit = confirmedCommit;
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
        execute(strategy, command, MAX_KEY_CLAIMS).whenComplete((result, failure) -> {
            RuntimeException cause = failure == null ? null : unwrapped(failure);
            TransferOutcome outcome = cause == null ? TransferOutcome.of(result) : TransferOutcome.of(cause);
            started.stop(timers.computeIfAbsent(new TimerKey(strategyName, outcome), key -> Timer.builder("bank.transfers")
                    .description("Transfers by strategy and outcome, with their latency")
                    .tags("strategy", key.strategy(), "outcome", key.outcome().tag())
                    .publishPercentileHistogram()
                    .register(registry)));
            if (cause == null) {
                if (LOG.isEnabled(outcome.logLevel())) {
                    LOG.logf(outcome.logLevel(), "Transfer %s: strategy=%s id=%d from=%d to=%d amount=%s", outcome.tag(),
                            strategyName, result.transfer().id, command.from(), command.to(),
                            command.amount().toPlainString());
                }
                answer.complete(result);
            } else {
                log(strategyName, command, outcome, cause);
                answer.completeExceptionally(cause);
            }
        });
        return answer;
    }

    /**
     * The strategy's answer; when the key turns out to be bound already, the transfer it stands for. A key can be
     * bound and then free again: a twin that held it was refused and released it, or the purge forgot it between the
     * claim and the look-up. The request then claims it again, at most {@code claimsLeft} times: each round decides
     * the twin that held the key, so only a crowd of twins larger than that is told to repeat later.
     */
    private CompletionStage<TransferResult> execute(TransferStrategy strategy, TransferCommand command,
            int claimsLeft) {
        return strategy.submit(command, workers)
                .thenApply(transfer -> new TransferResult(transfer, false))
                .exceptionallyCompose(failure -> {
                    if (!(unwrapped(failure) instanceof IdempotencyKeyBoundException)) {
                        return CompletableFuture.failedStage(failure);
                    }
                    return CompletableFuture.supplyAsync(() -> replay(strategy.name(), command), workers)
                            .thenCompose(replayed -> replayed.<CompletionStage<TransferResult>>map(
                                    CompletableFuture::completedStage).orElseGet(() -> claimsLeft > 1
                                            ? execute(strategy, command, claimsLeft - 1)
                                            : CompletableFuture.failedStage(
                                                    new IdempotencyKeyInProgressException(command.idempotencyKey()))));
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
        Optional<Transfer> bound;
        try {
            bound = ledger.findByIdempotencyKey(command.caller().subject(), command.idempotencyKey());
        } catch (RuntimeException unread) {
            if (!SqlStates.isDatabaseUnavailable(unread)) {
                throw unread;
            }
            // The key stands for a committed transfer, perhaps this request's: "nothing changed" would be false.
            throw new TransferOutcomeUnknownException(null, "The transfer its idempotency key stands for could not be "
                    + "read", unread);
        }
        return bound.map(earlier -> {
            if (earlier.fromAccountId != command.from() || earlier.toAccountId != command.to()
                    || earlier.amount.compareTo(command.amount()) != 0 || !earlier.strategy.equals(strategyName)) {
                throw new IdempotencyKeyReusedException(earlier.id);
            }
            // It may have committed on the primary alone (its client was told outcome-unknown): done only once the
            // standby has it.
            try {
                confirmedCommit.confirmReplicated(earlier.id, earlier.fromAccountId, earlier.toAccountId);
            } catch (TransferOutcomeUnknownException unconfirmed) {
                throw unconfirmed;
            } catch (RuntimeException unconfirmed) {
                throw new TransferOutcomeUnknownException(earlier.id, "The standby could not be asked whether it has "
                        + "the transfer its idempotency key stands for", unconfirmed);
            }
            return new TransferResult(earlier, true);
        });
    }

    /** The strategies clients can choose, by name. */
    public Map<String, TransferStrategy> enabledStrategies() {
        return enabledStrategies;
    }

    TransferStrategy strategy(String name) {
        TransferStrategy strategy = enabledStrategies.get(name);
        if (strategy == null) {
            throw new UnknownStrategyException(name);
        }
        return strategy;
    }

    private static void log(String strategy, TransferCommand command, TransferOutcome outcome,
            RuntimeException failure) {
        String sqlState = failure instanceof ConcurrencyConflictException conflict
                ? conflict.sqlState()
                : SqlStates.of(failure).orElse(null);
        LOG.logf(outcome.logLevel(), "Transfer failed: strategy=%s from=%d to=%d amount=%s outcome=%s sqlState=%s reason=%s",
                strategy, command.from(), command.to(), command.amount().toPlainString(), outcome.tag(), sqlState,
                failure.getMessage());
    }
}
