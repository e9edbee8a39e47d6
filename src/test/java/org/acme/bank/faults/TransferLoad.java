package org.acme.bank.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Bank.Transfer;

/**
 * Users that keep sending transfers to the given instances until stopped, each request with an Idempotency-Key of its
 * own, so that every answer can later be matched against the ledger. All users are released together by a latch.
 */
final class TransferLoad {

    static final String OUTCOME_UNKNOWN = "/problems/outcome-unknown";

    private final List<Bank> instances;
    private final List<String> strategies;
    private final List<Long> accounts;
    private final int users;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final Map<Bank, LongAdder> successesByInstance = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    TransferLoad(List<Bank> instances, List<String> strategies, List<Long> accounts, int users) {
        this.instances = instances;
        this.strategies = strategies;
        this.accounts = accounts;
        this.users = users;
    }

    void start() {
        running = true;
        CountDownLatch start = new CountDownLatch(1);
        for (int user = 0; user < users; user++) {
            Random random = new Random(user);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (running) {
                    Bank instance = instances.get(random.nextInt(instances.size()));
                    Answer answer = instance.send(next(random));
                    answers.add(answer);
                    if (answer.succeeded()) {
                        successesByInstance.computeIfAbsent(instance, counted -> new LongAdder()).increment();
                    }
                }
            }, "load-user-" + user);
            threads.add(thread);
            thread.start();
        }
        start.countDown();
    }

    List<Answer> stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(Bank.ANSWER_LIMIT.multipliedBy(2).toMillis());
        }
        return List.copyOf(answers);
    }

    long successesSince(Instant since) {
        return answers.stream().filter(answer -> answer.succeeded() && answer.sentAt().isAfter(since)).count();
    }

    long successesThrough(Bank instance) {
        LongAdder successes = successesByInstance.get(instance);
        return successes == null ? 0 : successes.sum();
    }

    /** Waits until at least {@code wanted} transfers sent after {@code since} have succeeded, or the limit passes. */
    void awaitSuccessesSince(Instant since, long wanted, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (successesSince(since) < wanted && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
    }

    /**
     * A client told "outcome unknown", or given no answer at all, repeats the request with the same key once the
     * database is back, as the answer asks (while it is told 503, again after a second); the repeat must settle it
     * (201 if the first never happened, 200 with the replay if it did).
     */
    List<Answer> settleUnknownOutcomes(List<Answer> answered) throws InterruptedException {
        List<Answer> settled = new ArrayList<>();
        for (Answer answer : answered) {
            if (OUTCOME_UNKNOWN.equals(answer.problemType()) || answer.status() == Bank.NO_ANSWER) {
                Answer repeat = instances.get(0).send(answer.transfer());
                for (int attempt = 1; repeat.status() == 503 && attempt < 30; attempt++) {
                    Thread.sleep(1_000);
                    repeat = instances.get(0).send(answer.transfer());
                }
                assertTrue(repeat.succeeded(), "repeating an unknown outcome was answered " + repeat.summary());
                settled.add(repeat);
            } else {
                settled.add(answer);
            }
        }
        return settled;
    }

    private Transfer next(Random random) {
        int from = random.nextInt(accounts.size());
        int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
        return new Transfer(strategies.get(random.nextInt(strategies.size())), accounts.get(from), accounts.get(to),
                BigDecimal.valueOf(1 + random.nextInt(500), 2), UUID.randomUUID().toString());
    }
}
