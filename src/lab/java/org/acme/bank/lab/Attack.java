package org.acme.bank.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;

/** One run: fresh accounts, one strategy, one concurrency, all users released together, then the books checked. */
final class Attack {

    /** At most this many requests are printed one by one, as in the article; more get a progress line. */
    private static final int PRINT_EACH_UP_TO = 100;
    private static final int SETUP_THREADS = 8;

    private final AttackOptions options;
    private final BankClient bank;
    private final PrintStream out;

    Attack(AttackOptions options, BankClient bank, PrintStream out) {
        this.options = options;
        this.bank = bank;
        this.out = out;
    }

    RunResult run(String strategy, int users) throws Exception {
        List<String> owners = owners(strategy);
        long[] ids = openAccounts(owners);
        AccountPicker picker = new AccountPicker(ids.length, options.zipf());
        int planned = options.requestsPerRun(users);
        boolean printEach = !options.json() && planned > 0 && planned <= PRINT_EACH_UP_TO;
        Tally tally = new Tally();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(daemon("attack-progress"));
        if (!options.json() && !printEach) {
            progress.scheduleAtFixedRate(() -> out.printf("\r  %s, %d users: %s", strategy, users, tally.progress()),
                    1, 1, TimeUnit.SECONDS);
        }
        long started = System.nanoTime();
        try {
            if (options.rate() > 0) {
                openLoop(strategy, users, ids, owners, picker, tally, printEach);
            } else {
                closedLoop(strategy, users, ids, owners, picker, tally, printEach);
            }
        } finally {
            progress.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!options.json() && !printEach) {
            out.printf("\r  %s, %d users: %s%n", strategy, users, tally.progress());
        }
        BigDecimal expectedTotal = options.openingBalance().multiply(BigDecimal.valueOf(ids.length));
        boolean conserved = total(ids).compareTo(expectedTotal) == 0;
        JsonNode audit = bank.audit();
        boolean consistent = audit.path("negativeBalances").asLong(-1) == 0 && audit.path("mismatchedAccounts").asLong(-1) == 0;
        return tally.result(strategy, users, seconds, conserved, consistent);
    }

    /** Closed loop: each user sends its next transfer when the previous one is answered. */
    private void closedLoop(String strategy, int users, long[] ids, List<String> owners, AccountPicker picker,
            Tally tally, boolean printEach) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(users, daemon("attack-user"));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int user = 1; user <= users; user++) {
                int userNumber = user;
                SplittableRandom random = new SplittableRandom(31L * strategy.hashCode() + user);
                running.add(pool.submit(() -> {
                    start.await();
                    long deadline = options.duration() == null ? Long.MAX_VALUE
                            : System.nanoTime() + options.duration().toNanos();
                    for (int i = 0; options.duration() != null ? System.nanoTime() < deadline
                            : i < options.transfersPerUser(); i++) {
                        int[] pair = picker.pickPair(random);
                        long sent = System.nanoTime();
                        BankClient.Answer answer = bank.transfer(strategy, ids[pair[0]], ids[pair[1]], options.amount()).join();
                        tally.record(answer, System.nanoTime() - sent);
                        if (printEach) {
                            out.println(line(userNumber, answer, owners.get(pair[0]), owners.get(pair[1])));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> user : running) {
                user.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Open loop: transfers leave at a fixed rate whatever the answers, and each latency is measured from the moment
     * its request was due, so a stalled server shows its queue instead of hiding it (no coordinated omission).
     */
    private void openLoop(String strategy, int users, long[] ids, List<String> owners, AccountPicker picker, Tally tally,
            boolean printEach) {
        int total = options.requestsPerRun(users);
        long interval = (long) (1e9 / options.rate());
        SplittableRandom random = new SplittableRandom(strategy.hashCode());
        List<CompletableFuture<Void>> inFlight = new ArrayList<>(total);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int[] pair = picker.pickPair(random);
            int number = i + 1;
            inFlight.add(bank.transfer(strategy, ids[pair[0]], ids[pair[1]], options.amount()).thenAccept(answer -> {
                tally.record(answer, System.nanoTime() - due);
                if (printEach) {
                    out.println(line(number, answer, owners.get(pair[0]), owners.get(pair[1])));
                }
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
    }

    private List<String> owners(String strategy) {
        if (options.accounts() == 2) {
            return List.of("Alice", "Bob");
        }
        List<String> owners = new ArrayList<>(options.accounts());
        for (int i = 0; i < options.accounts(); i++) {
            owners.add("lab-" + strategy + "-" + i);
        }
        return owners;
    }

    private long[] openAccounts(List<String> owners) throws Exception {
        long[] ids = new long[owners.size()];
        AtomicInteger next = new AtomicInteger();
        inParallel(() -> {
            for (int i = next.getAndIncrement(); i < ids.length; i = next.getAndIncrement()) {
                ids[i] = bank.openAccount(owners.get(i), options.openingBalance());
            }
        });
        return ids;
    }

    private BigDecimal total(long[] ids) throws Exception {
        BigDecimal[] balances = new BigDecimal[ids.length];
        AtomicInteger next = new AtomicInteger();
        inParallel(() -> {
            for (int i = next.getAndIncrement(); i < ids.length; i = next.getAndIncrement()) {
                balances[i] = bank.balance(ids[i]);
            }
        });
        BigDecimal total = BigDecimal.ZERO;
        for (BigDecimal balance : balances) {
            total = total.add(balance);
        }
        return total;
    }

    private interface Work {
        void run() throws IOException, InterruptedException;
    }

    private static void inParallel(Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS, daemon("attack-setup"));
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < SETUP_THREADS; i++) {
                workers.add(pool.submit(() -> {
                    work.run();
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The article's line: {@code [3] ❌ DEADLOCK: Bob -> Alice}. */
    private static String line(int number, BankClient.Answer answer, String from, String to) {
        String verdict = switch (Outcome.of(answer)) {
            case SUCCEEDED -> "✅ Success";
            case DEADLOCK -> "❌ DEADLOCK";
            case CONFLICT -> "❌ CONFLICT " + answer.problemType();
            case INSUFFICIENT_FUNDS -> "❌ INSUFFICIENT FUNDS";
            case ERROR -> "❌ ERROR " + (answer.status() == 0 ? "no answer" : answer.status());
        };
        return "[" + number + "] " + verdict + ": " + from + " -> " + to;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    enum Outcome {
        SUCCEEDED, DEADLOCK, CONFLICT, INSUFFICIENT_FUNDS, ERROR;

        static Outcome of(BankClient.Answer answer) {
            return switch (answer.status()) {
                case 201 -> SUCCEEDED;
                case 409 -> "/problems/deadlock".equals(answer.problemType()) ? DEADLOCK : CONFLICT;
                case 422 -> INSUFFICIENT_FUNDS;
                default -> ERROR;
            };
        }
    }

    /** Thread-safe counts and latencies of one run. */
    static final class Tally {
        private final AtomicInteger[] counts = new AtomicInteger[Outcome.values().length];
        private final AtomicLong retries = new AtomicLong();
        private final long started = System.nanoTime();
        private long[] latencies = new long[1024];
        private int recorded;

        Tally() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new AtomicInteger();
            }
        }

        void record(BankClient.Answer answer, long latencyNanos) {
            Outcome outcome = Outcome.of(answer);
            counts[outcome.ordinal()].incrementAndGet();
            // Successes and conflicts alike say how many attempts they made: a retries-exhausted answer hides nine.
            retries.addAndGet(Math.max(0, answer.attempts() - 1));
            synchronized (this) {
                if (recorded == latencies.length) {
                    latencies = Arrays.copyOf(latencies, recorded * 2);
                }
                latencies[recorded++] = latencyNanos;
            }
        }

        String progress() {
            int done = 0;
            for (AtomicInteger count : counts) {
                done += count.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return String.format("%d requests, %.0f ok/s, %d deadlocks, %d conflicts, %d errors", done,
                    count(Outcome.SUCCEEDED) / Math.max(seconds, 1e-9), count(Outcome.DEADLOCK),
                    count(Outcome.CONFLICT), count(Outcome.ERROR));
        }

        RunResult result(String strategy, int users, double seconds, boolean conserved, boolean consistent) {
            long[] measured;
            synchronized (this) {
                measured = Arrays.copyOf(latencies, recorded);
            }
            return new RunResult(strategy, users, measured.length, count(Outcome.SUCCEEDED), count(Outcome.DEADLOCK),
                    count(Outcome.CONFLICT), count(Outcome.INSUFFICIENT_FUNDS), count(Outcome.ERROR), retries.get(),
                    seconds, RunResult.sorted(measured), conserved, consistent);
        }

        private int count(Outcome outcome) {
            return counts[outcome.ordinal()].get();
        }
    }
}
