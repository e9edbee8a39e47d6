package org.acme.bank.transfer.strategy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import org.acme.bank.SqlStates;
import org.acme.bank.config.BankConfig;
import org.acme.bank.ledger.Transfer;
import org.acme.bank.transfer.AccountLocks;
import org.acme.bank.transfer.Backoff;
import org.acme.bank.transfer.BlockingTransferStrategy;
import org.acme.bank.transfer.ConcurrencyConflictException;
import org.acme.bank.transfer.ConflictKind;
import org.acme.bank.transfer.Movement;
import org.acme.bank.transfer.Pause;
import org.acme.bank.transfer.RetryPolicy;
import org.acme.bank.transfer.TransferTransaction;

/**
 * Reads without locks and lets the {@code @Version} check at flush catch a lost race; the whole transaction is then
 * run again in a new one, after a jittered backoff ({@link RetryPolicy}). The retry loop sits outside the transaction
 * on purpose: a retry inside a transaction that already failed would only see the same stale state. PostgreSQL's own
 * safety check against a locking race (SQLSTATE XX000, "new multixact has more than one updating member", seen on
 * some minor releases under this strategy's concurrent updates) fails the statement and rolls back: a lost race too,
 * retried the same way.
 * <p>
 * Proved by {@code OptimisticStrategyTest}, {@code RetryPolicyTest}, {@code FlushOrderTest}, and under load by
 * {@code DeadlockScenarioTest}, {@code HotSpotTest}, {@code SerializationFailureTest}.
 */
@ApplicationScoped
public class OptimisticStrategy implements BlockingTransferStrategy {

    public static final String NAME = "optimistic";

    private final TransferTransaction transaction;
    private final AccountLocks locks;
    private final RetryPolicy policy;
    private final Counter retries;

    OptimisticStrategy(TransferTransaction transaction, AccountLocks locks, BankConfig config, MeterRegistry registry) {
        this.transaction = transaction;
        this.locks = locks;
        this.retries = Counter.builder("bank.transfer.retries")
                .description("Attempts of a transfer run again after losing a race")
                .tag("strategy", NAME)
                .register(registry);
        BankConfig.Optimistic optimistic = config.transfer().optimistic();
        this.policy = new RetryPolicy(optimistic.maxAttempts(),
                new Backoff(optimistic.backoffInitial(), optimistic.backoffMax()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<ConflictKind> conflicts() {
        return EnumSet.of(ConflictKind.RETRIES_EXHAUSTED, ConflictKind.LOCK_TIMEOUT);
    }

    @Override
    public List<Transfer> execute(Movement movement) {
        return attempt((attempt, access) -> transaction.run(movement, NAME, attempt, access));
    }

    @Override
    public <T> T attempt(Attempt<T> work) {
        boolean everyAttemptInternalError = true;
        for (int attempt = 1;; attempt++) {
            try {
                return work.run(attempt, unlocked -> {
                    var accounts = locks.read(unlocked);
                    locks.pauseBetweenLocks();
                    return accounts;
                });
            } catch (ConcurrencyConflictException conflict) {
                everyAttemptInternalError = false;
                if (!policy.retries(conflict.kind())) {
                    throw conflict.afterAttempts(attempt);
                }
                if (policy.exhaustedAfter(attempt)) {
                    throw conflict.exhausting(attempt);
                }
            } catch (RuntimeException failure) {
                if (!policy.retries(failure)) {
                    throw failure;
                }
                if (policy.exhaustedAfter(attempt)) {
                    // XX000 among lost races is one more race (its multixact check under concurrent updates); XX000 on
                    // every attempt is a fault of the database, and stays a 503 with its cause.
                    if (everyAttemptInternalError) {
                        throw failure;
                    }
                    throw new ConcurrencyConflictException(ConflictKind.RETRIES_EXHAUSTED, "", SqlStates.INTERNAL_ERROR)
                            .exhausting(attempt);
                }
            }
            retries.increment();
            if (!Pause.sleep(policy.delayBeforeRetry(attempt, ThreadLocalRandom.current()))) {
                throw new ConcurrencyConflictException(ConflictKind.RETRIES_EXHAUSTED, "Interrupted between attempts",
                        null).afterAttempts(attempt);
            }
        }
    }
}
