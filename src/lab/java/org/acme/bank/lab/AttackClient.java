package org.acme.bank.lab;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The contention lab's attack client: creates its own accounts through the API, releases concurrent users together
 * against one or every strategy, and reports successes, deadlocks, conflicts, retries, latency and whether money was
 * conserved. Needs nothing of the server but its HTTP API.
 *
 * <pre>./mvnw -q test-compile exec:java@attack -Dexec.args="--strategy naive --users 8 --transfers 3"</pre>
 *
 * Exits 1 when money was not conserved, the books are inconsistent, or a safe strategy deadlocked; 2 on bad options.
 */
public final class AttackClient {

    private AttackClient() {
    }

    public static void main(String[] args) throws Exception {
        AttackOptions options;
        try {
            options = AttackOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(AttackOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(options, String.join(" ", args), System.out));
    }

    static int run(AttackOptions options, String commandLine, PrintStream out) throws Exception {
        BankClient bank = new BankClient(options.url());
        Attack attack = new Attack(options, bank, out);
        List<RunResult> results = new ArrayList<>();
        boolean warm = options.warmup().isZero();
        for (String strategy : options.strategies()) {
            if (!bank.strategyEnabled(strategy)) {
                out.println("Strategy '" + strategy + "' is not enabled on " + options.url()
                        + " (naive is off in production: BANK_TRANSFER_NAIVE_ENABLED=true turns it on); skipped.");
                if (options.strategies().size() == 1) {
                    return 2;
                }
                continue;
            }
            if (!warm) {
                if (!options.json()) {
                    out.println("Warming up for " + options.warmup().toSeconds() + "s with " + strategy + "...");
                }
                new Attack(options.forWarmup(), bank, out).run(strategy, Collections.max(options.concurrencies()));
                warm = true;
            }
            for (int users : options.concurrencies()) {
                if (!options.json()) {
                    out.printf("== %s: %d users, %s, %d accounts%s%n", strategy, users, load(options, users),
                            options.accounts(), options.zipf() > 0 ? ", Zipf " + options.zipf() : ", uniform");
                }
                results.add(attack.run(strategy, users));
            }
        }
        if (options.json()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("url", options.url().toString());
            summary.put("accounts", options.accounts());
            summary.put("zipf", options.zipf());
            summary.put("rate", options.rate());
            summary.put("results", results.stream().map(RunResult::toMap).toList());
            out.println(new ObjectMapper().writeValueAsString(summary));
        } else {
            out.println();
            out.print(Report.table(results));
        }
        if (options.reportDirectory() != null) {
            Report.write(options.reportDirectory(), commandLine, results);
            if (!options.json()) {
                out.println("Report written to " + options.reportDirectory().resolve("report.md"));
            }
        }
        boolean failed = results.stream().anyMatch(result -> !result.moneyConserved() || !result.booksConsistent()
                || result.safe() && result.deadlocks() > 0);
        return failed ? 1 : 0;
    }

    private static String load(AttackOptions options, int users) {
        String amount = options.duration() != null ? "for " + options.duration().toSeconds() + "s"
                : options.transfersPerUser() + " transfers each";
        return options.rate() > 0 ? "open loop at " + options.rate() + "/s " + amount : amount;
    }
}
