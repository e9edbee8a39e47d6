package org.acme.bank.transfer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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

    @Inject
    TransferService(@Any Instance<TransferStrategy> strategies, MeterRegistry registry, LedgerService ledger) {
        this(strategies.stream().toList(), registry, ledger);
    }

    TransferService(List<TransferStrategy> strategies, MeterRegistry registry, LedgerService ledger) {
        this.enabledStrategies = strategies.stream()
                .filter(TransferStrategy::enabled)
                .collect(Collectors.toUnmodifiableMap(TransferStrategy::name, Function.identity()));
        this.registry = registry;
        this.ledger = ledger;
    }

    /**
     * Moves the money once per idempotency key. The key is claimed first in the transfer's own transaction, so a
     * repeat of a committed transfer stops there, and a repeat racing its original waits on the key until the original
     * commits (then it is a repeat) or rolls back (then it runs). Either way the key decides the answer: the transfer
     * it stands for (replayed), or {@link IdempotencyKeyReusedException} when that transfer was another request.
     */
    public TransferResult transfer(String strategyName, TransferCommand command) {
        TransferStrategy strategy = strategy(strategyName);
        Timer.Sample started = Timer.start(registry);
        String outcome = "error";
        try {
            TransferResult result = execute(strategy, strategyName, command);
            outcome = result.replayed() ? "replayed" : "succeeded";
            return result;
        } catch (RuntimeException failure) {
            outcome = outcome(failure);
            log(strategyName, command, outcome, failure);
            throw failure;
        } finally {
            started.stop(timers.computeIfAbsent(new TimerKey(strategyName, outcome), key -> Timer.builder("bank.transfers")
                    .description("Transfers by strategy and outcome, with their latency")
                    .tags("strategy", key.strategy(), "outcome", key.outcome())
                    .publishPercentileHistogram()
                    .register(registry)));
        }
    }

    private TransferResult execute(TransferStrategy strategy, String strategyName, TransferCommand command) {
        try {
            return new TransferResult(strategy.execute(command), false);
        } catch (IdempotencyKeyBoundException bound) {
            // Purged between the claim and this look-up (after the retention): the key is free again.
            return replay(strategyName, command).orElseGet(() -> new TransferResult(strategy.execute(command), false));
        }
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
