package org.acme.bank.transfer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * Moves money with the strategy the client named, a transfer or the legs of a transaction, and accounts for every
 * attempt: a latency timer per strategy and outcome ({@code bank_transfers_seconds} and
 * {@code bank_transactions_seconds} in Prometheus) and one log line per failed request. Successes are not logged: the
 * hot path stays quiet.
 */
@ApplicationScoped
public class TransferService {

    private static final Logger LOG = Logger.getLogger(TransferService.class);

    /**
     * How often one request claims its idempotency key again after finding it bound and then free: twins released it
     * (refused) or the purge forgot it. Each round decides at least the twin that held the key.
     */
    public static final int MAX_KEY_CLAIMS = 64;

    private record TimerKey(boolean transaction, String strategy, TransferOutcome outcome) {
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
     * Moves the money once per idempotency key, and completes when the transfer (or every leg of the transaction)
     * committed or was refused. The key is claimed first in the movement's own transaction, so a repeat of a committed
     * one stops there, and a repeat racing its original waits on the key until the original commits (then it is a
     * repeat) or rolls back (then it runs). Either way the key decides the answer: the rows it stands for (replayed),
     * or {@link IdempotencyKeyReusedException} when they were another request. A failure is the strategy's own
     * exception, never wrapped.
     */
    public CompletionStage<TransferResult> transfer(String strategyName, Movement movement) {
        TransferStrategy strategy = strategy(strategyName);
        Timer.Sample started = Timer.start(registry);
        CompletableFuture<TransferResult> answer = new CompletableFuture<>();
        execute(strategy, movement, MAX_KEY_CLAIMS).whenComplete((result, failure) -> {
            RuntimeException cause = failure == null ? null : TransferFailures.unwrapped(failure);
            TransferOutcome outcome = cause == null ? TransferOutcome.of(result) : TransferOutcome.of(cause);
            started.stop(timers.computeIfAbsent(new TimerKey(movement.isTransaction(), strategyName, outcome),
                    key -> Timer.builder(key.transaction() ? "bank.transactions" : "bank.transfers")
                            .description((key.transaction() ? "Multi-leg transactions" : "Transfers")
                                    + " by strategy and outcome, with their latency")
                            .tags("strategy", key.strategy(), "outcome", key.outcome().tag())
                            .publishPercentileHistogram()
                            .register(registry)));
            if (cause == null) {
                if (LOG.isEnabled(outcome.logLevel())) {
                    LOG.logf(outcome.logLevel(), "Transfer %s: strategy=%s id=%d %s", outcome.tag(), strategyName,
                            result.transfer().id, describe(movement));
                }
                answer.complete(result);
            } else {
                log(strategyName, movement, outcome, cause);
                answer.completeExceptionally(cause);
            }
        });
        return answer;
    }

    /**
     * Each transfer as {@link #transfer} moves it alone, all submitted at once so that a queueing strategy (batched)
     * applies them together: one's refusal never touches another's. A transfer whose key an earlier one of the list
     * named too is submitted once that one has ended, so that it is answered as its repeat, whatever the batches.
     */
    public List<CompletableFuture<TransferResult>> transferAll(String strategyName, List<TransferCommand> commands) {
        Map<String, CompletableFuture<TransferResult>> latestByKey = new HashMap<>();
        List<CompletableFuture<TransferResult>> answers = new ArrayList<>(commands.size());
        for (TransferCommand command : commands) {
            CompletableFuture<TransferResult> earlier = command.idempotencyKey() == null ? null
                    : latestByKey.get(command.idempotencyKey());
            CompletableFuture<TransferResult> answer = earlier == null
                    ? transfer(strategyName, command).toCompletableFuture()
                    : earlier.handle((result, failure) -> command)
                            .thenCompose(repeat -> transfer(strategyName, repeat)).toCompletableFuture();
            if (command.idempotencyKey() != null) {
                latestByKey.put(command.idempotencyKey(), answer);
            }
            answers.add(answer);
        }
        return answers;
    }

    /**
     * The strategy's answer; when the key turns out to be bound already, the transfer it stands for. A key can be
     * bound and then free again: a twin that held it was refused and released it, or the purge forgot it between the
     * claim and the look-up. The request then claims it again, at most {@code claimsLeft} times: each round decides
     * the twin that held the key, so only a crowd of twins larger than that is told to repeat later.
     */
    private CompletionStage<TransferResult> execute(TransferStrategy strategy, Movement command, int claimsLeft) {
        return strategy.submit(command, workers)
                .thenApply(rows -> new TransferResult(rows, false))
                .exceptionallyCompose(failure -> {
                    if (!(TransferFailures.unwrapped(failure) instanceof IdempotencyKeyBoundException)) {
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

    /** The rows the request's key stands for, if the request is theirs; refused if they were another request. */
    private Optional<TransferResult> replay(String strategyName, Movement command) {
        Optional<List<Transfer>> bound;
        try {
            bound = ledger.findByIdempotencyKey(command.caller().subject(), command.idempotencyKey())
                    .map(first -> first.transactionId == null ? List.of(first) : ledger.legsOf(first.transactionId));
        } catch (RuntimeException unread) {
            if (!SqlStates.isDatabaseUnavailable(unread)) {
                throw unread;
            }
            // The key stands for a committed transfer, perhaps this request's: "nothing changed" would be false.
            throw new TransferOutcomeUnknownException(null, "The transfer its idempotency key stands for could not be "
                    + "read", unread);
        }
        return bound.map(earlier -> {
            Transfer first = earlier.get(0);
            if (!isTheSameRequest(earlier, command, strategyName)) {
                throw new IdempotencyKeyReusedException(first.id);
            }
            // It may have committed on the primary alone (its client was told outcome-unknown): done only once the
            // standby has it.
            try {
                confirmedCommit.confirmReplicated(first.id, command.accountIds());
            } catch (TransferOutcomeUnknownException unconfirmed) {
                throw unconfirmed;
            } catch (RuntimeException unconfirmed) {
                throw new TransferOutcomeUnknownException(first.id, "The standby could not be asked whether it has "
                        + "the transfer its idempotency key stands for", unconfirmed);
            }
            return new TransferResult(earlier, true);
        });
    }

    /** The same kind of request (transfer or transaction), strategy, and legs in the same order. */
    private static boolean isTheSameRequest(List<Transfer> earlier, Movement command, String strategyName) {
        List<Leg> legs = command.legs();
        if ((earlier.get(0).transactionId != null) != command.isTransaction() || earlier.size() != legs.size()
                || !earlier.get(0).strategy.equals(strategyName)) {
            return false;
        }
        for (int i = 0; i < legs.size(); i++) {
            Transfer row = earlier.get(i);
            Leg leg = legs.get(i);
            if (row.fromAccountId != leg.from() || row.toAccountId != leg.to()
                    || row.amount.compareTo(leg.amount()) != 0) {
                return false;
            }
        }
        return true;
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

    private static void log(String strategy, Movement movement, TransferOutcome outcome, RuntimeException failure) {
        if (!LOG.isEnabled(outcome.logLevel())) {
            return;
        }
        String sqlState = failure instanceof ConcurrencyConflictException conflict
                ? conflict.sqlState()
                : SqlStates.of(failure).orElse(null);
        LOG.logf(outcome.logLevel(), "Transfer failed: strategy=%s %s outcome=%s sqlState=%s reason=%s", strategy,
                describe(movement), outcome.tag(), sqlState, failure.getMessage());
    }

    /** {@code from=1 to=2 amount=10.00}, or for a transaction {@code legs=[1->2 10.00, 1->3 0.50]}. */
    private static String describe(Movement movement) {
        if (movement instanceof TransferCommand transfer) {
            return "from=" + transfer.from() + " to=" + transfer.to() + " amount=" + transfer.amount().toPlainString();
        }
        return movement.legs().stream()
                .map(leg -> leg.from() + "->" + leg.to() + " " + leg.amount().toPlainString())
                .collect(Collectors.joining(", ", "legs=[", "]"));
    }
}
