package org.acme.bank.transfer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private final Map<String, TransferStrategy> enabledStrategies;
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
     * Moves the money once per idempotency key: a repeated key gets the transfer it produced before, also when the
     * repeat races the original (see {@link #execute}).
     */
    public TransferResult transfer(String strategyName, TransferCommand command) {
        TransferStrategy strategy = strategy(strategyName);
        Timer.Sample started = Timer.start(registry);
        String outcome = "error";
        try {
            TransferResult result = replay(strategyName, command)
                    .orElseGet(() -> execute(strategy, strategyName, command));
            outcome = result.replayed() ? "replayed" : "succeeded";
            return result;
        } catch (RuntimeException failure) {
            outcome = outcome(failure);
            log(strategyName, command, outcome, failure);
            throw failure;
        } finally {
            started.stop(Timer.builder("bank.transfers")
                    .description("Transfers by strategy and outcome, with their latency")
                    .tags("strategy", strategyName, "outcome", outcome)
                    .publishPercentileHistogram()
                    .register(registry));
        }
    }

    /**
     * A keyed request is decided by its key, not by what its own attempt ran into. A twin that passed the look-up
     * before the original committed waits on the original's locks and then finds the balance drained, the key taken
     * (SQLSTATE 23505 on the key's primary key) or a conflict; once the key is bound, the answer is the original
     * transfer (or {@link IdempotencyKeyReusedException} for another request under the same key).
     */
    private TransferResult execute(TransferStrategy strategy, String strategyName, TransferCommand command) {
        try {
            return new TransferResult(strategy.execute(command), false);
        } catch (RuntimeException failure) {
            if (command.idempotencyKey() == null || !mayHaveLostToTheKey(failure)) {
                throw failure;
            }
            Optional<TransferResult> bound;
            try {
                bound = replay(strategyName, command);
            } catch (IdempotencyKeyReusedException reused) {
                throw reused;
            } catch (RuntimeException lookupFailure) {
                failure.addSuppressed(lookupFailure);
                throw failure;
            }
            return bound.orElseThrow(() -> failure);
        }
    }

    /** A refusal, a lost race or the key's unique violation; not an unreachable database, where asking is futile. */
    private static boolean mayHaveLostToTheKey(RuntimeException failure) {
        return failure instanceof BankException
                || SqlStates.of(failure).filter(SqlStates.UNIQUE_VIOLATION::equals).isPresent();
    }

    private Optional<TransferResult> replay(String strategyName, TransferCommand command) {
        if (command.idempotencyKey() == null) {
            return Optional.empty();
        }
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
