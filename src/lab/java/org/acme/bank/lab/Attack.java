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
import java.util.concurrent.ExecutionException;
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

/**
 * One run: the accounts (opened afresh by a teller, or the owners' own), one strategy, one concurrency, all users
 * released together, each transfer sent with the token of the owner of the account it debits; then the books checked.
 */
final class Attack {

    /** An account the attack uses, with the token of its owner, the only one who may debit it. */
    record OwnedAccount(long id, Token owner) {
    }

    /** At most this many requests are printed one by one, as in the article; more get a progress line. */
    private static final int PRINT_EACH_UP_TO = 100;
    private static final int SETUP_THREADS = 8;

    private final AttackOptions options;
    private final BankClient bank;
    private final LabTokens tokens;
    /** The accounts of every run, chosen once among the owners' own; empty when a teller opens fresh ones per run. */
    private final List<OwnedAccount> existingAccounts;
    private final PrintStream out;

    Attack(AttackOptions options, BankClient bank, LabTokens tokens, List<OwnedAccount> existingAccounts,
            PrintStream out) {
        this.options = options;
        this.bank = bank;
        this.tokens = tokens;
        this.existingAccounts = existingAccounts;
        this.out = out;
    }

    /**
     * The accounts runs use when no teller opens fresh ones: {@code count} of the owners' accounts with money in them,
     * taken from each owner in turn.
     */
    static List<OwnedAccount> chooseOwnersAccounts(BankClient bank, LabTokens tokens, int count)
            throws IOException, InterruptedException {
        List<List<OwnedAccount>> byOwner = new ArrayList<>();
        for (Token owner : tokens.owners()) {
            byOwner.add(bank.fundedAccounts(owner, count).stream().map(id -> new OwnedAccount(id, owner)).toList());
        }
        List<OwnedAccount> chosen = AccountPicker.inTurn(byOwner, count);
        if (chosen.size() < count) {
            throw new IllegalArgumentException("The attack needs " + count + " accounts with money in them, and "
                    + tokens.owners() + " own " + chosen.size() + ": give fewer --accounts, more owners' tokens, or a "
                    + "teller's token to open funded accounts for them.");
        }
        return chosen;
    }

    RunResult run(String strategy, int users) throws Exception {
        List<OwnedAccount> accounts = tokens.teller().isPresent() ? openAccounts(tokens.teller().get())
                : existingAccounts;
        BigDecimal before = total(accounts);
        AccountPicker picker = new AccountPicker(accounts.size(), options.zipf());
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
                openLoop(strategy, users, accounts, picker, tally, printEach);
            } else {
                closedLoop(strategy, users, accounts, picker, tally, printEach);
            }
        } finally {
            progress.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!options.json() && !printEach) {
            out.printf("\r  %s, %d users: %s%n", strategy, users, tally.progress());
        }
        boolean conserved = total(accounts).compareTo(before) == 0;
        return tally.result(strategy, users, seconds, conserved, audit());
    }

    private RunResult.Audit audit() throws IOException, InterruptedException {
        if (tokens.auditor().isEmpty()) {
            return RunResult.Audit.NOT_RUN;
        }
        JsonNode audit = bank.audit(tokens.auditor().get());
        boolean consistent = audit.path("negativeBalances").asLong(-1) == 0
                && audit.path("mismatchedAccounts").asLong(-1) == 0;
        return consistent ? RunResult.Audit.CONSISTENT : RunResult.Audit.INCONSISTENT;
    }

    /** Closed loop: each user sends its next transfer when the previous one is answered. */
    private void closedLoop(String strategy, int users, List<OwnedAccount> accounts, AccountPicker picker, Tally tally,
            boolean printEach) throws Exception {
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
                        OwnedAccount from = accounts.get(pair[0]);
                        OwnedAccount to = accounts.get(pair[1]);
                        long sent = System.nanoTime();
                        List<BankClient.Answer> answers = transfer(strategy, from, to).join();
                        long latency = System.nanoTime() - sent;
                        for (BankClient.Answer answer : answers) {
                            tally.record(answer, latency);
                            if (printEach) {
                                out.println(line(userNumber, answer, from, to));
                            }
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
    private void openLoop(String strategy, int users, List<OwnedAccount> accounts, AccountPicker picker, Tally tally,
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
            OwnedAccount from = accounts.get(pair[0]);
            OwnedAccount to = accounts.get(pair[1]);
            int number = i + 1;
            inFlight.add(transfer(strategy, from, to).thenAccept(answers -> {
                long latency = System.nanoTime() - due;
                for (BankClient.Answer answer : answers) {
                    tally.record(answer, latency);
                    if (printEach) {
                        out.println(line(number, answer, from, to));
                    }
                }
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Sent by the owner of the account it debits: no one else may. A bulk request carries {@code --bulk} transfers of
     * the pair, each answered in its slot.
     */
    private CompletableFuture<List<BankClient.Answer>> transfer(String strategy, OwnedAccount from, OwnedAccount to) {
        if (strategy.equals(AttackOptions.BULK)) {
            return bank.bulk(from.owner(), from.id(), to.id(), options.amount(), options.bulk());
        }
        return bank.transfer(from.owner(), strategy, from.id(), to.id(), options.amount()).thenApply(List::of);
    }

    /** Fresh accounts with the opening balance, for the owners in turn (Alice and Bob for two). */
    private List<OwnedAccount> openAccounts(Token teller) throws Exception {
        OwnedAccount[] accounts = new OwnedAccount[options.accounts()];
        AtomicInteger next = new AtomicInteger();
        inParallel(() -> {
            for (int i = next.getAndIncrement(); i < accounts.length; i = next.getAndIncrement()) {
                Token owner = tokens.owners().get(i % tokens.owners().size());
                long id = bank.openAccount(teller, owner.subject(), options.openingBalance());
                accounts[i] = new OwnedAccount(id, owner);
            }
        });
        return List.of(accounts);
    }

    /** The accounts' balances added up, each read with its owner's token. */
    private BigDecimal total(List<OwnedAccount> accounts) throws Exception {
        BigDecimal[] balances = new BigDecimal[accounts.size()];
        AtomicInteger next = new AtomicInteger();
        inParallel(() -> {
            for (int i = next.getAndIncrement(); i < balances.length; i = next.getAndIncrement()) {
                balances[i] = bank.balance(accounts.get(i).owner(), accounts.get(i).id());
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
                try {
                    worker.get();
                } catch (ExecutionException e) {
                    // A refusal, such as a teller's token refused, is reported as the request's own failure.
                    if (e.getCause() instanceof IOException refused) {
                        throw refused;
                    }
                    throw e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The article's line: {@code [3] ❌ DEADLOCK: Bob -> Alice}, the accounts named by their owners. */
    private static String line(int number, BankClient.Answer answer, OwnedAccount from, OwnedAccount to) {
        String verdict = switch (Outcome.of(answer)) {
            case SUCCEEDED -> "✅ Success";
            case DEADLOCK -> "❌ DEADLOCK";
            case CONFLICT -> "❌ CONFLICT " + answer.problemType();
            case INSUFFICIENT_FUNDS -> "❌ INSUFFICIENT FUNDS";
            case ERROR -> "❌ ERROR " + (answer.status() == 0 ? "no answer" : answer.status());
        };
        return "[" + number + "] " + verdict + ": " + from.owner().subject() + " -> " + to.owner().subject();
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

        RunResult result(String strategy, int users, double seconds, boolean conserved, RunResult.Audit audit) {
            long[] measured;
            synchronized (this) {
                measured = Arrays.copyOf(latencies, recorded);
            }
            return new RunResult(strategy, users, measured.length, count(Outcome.SUCCEEDED), count(Outcome.DEADLOCK),
                    count(Outcome.CONFLICT), count(Outcome.INSUFFICIENT_FUNDS), count(Outcome.ERROR), retries.get(),
                    seconds, RunResult.sorted(measured), conserved, audit);
        }

        private int count(Outcome outcome) {
            return counts[outcome.ordinal()].get();
        }
    }
}
