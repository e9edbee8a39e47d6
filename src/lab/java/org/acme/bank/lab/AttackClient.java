package org.acme.bank.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The contention lab's attack client: releases concurrent users together against one or every strategy, each transfer
 * sent with the token of the owner of the account it debits, and reports successes, deadlocks, conflicts, retries,
 * latency and whether money was conserved. The accounts are the owners' own with money in them, or, given a teller's
 * token, fresh ones it opens for them; the books are audited given an auditor's token. Without tokens it takes those
 * dev mode serves for its sample users. Needs nothing of the server but its HTTP API.
 *
 * <pre>./mvnw -q test-compile exec:java@attack -Dexec.args="--strategy naive --users 8 --transfers 3"</pre>
 *
 * Exits 1 when money was not conserved, the books are inconsistent, or a safe strategy deadlocked; 2 when it could not
 * run: bad options, no usable token, too few accounts with money, a refusal or no answer from the service.
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
        try {
            System.exit(run(options, String.join(" ", args), System.out));
        } catch (IOException e) {
            System.err.println("The attack stopped: " + (e.getMessage() != null ? e.getMessage()
                    : e.getClass().getSimpleName() + " (is the service running at " + options.url() + "?)"));
            System.exit(2);
        }
    }

    static int run(AttackOptions options, String commandLine, PrintStream out) throws Exception {
        BankClient bank = new BankClient(options.url());
        LabTokens tokens;
        List<Attack.OwnedAccount> existingAccounts;
        try {
            tokens = tokens(options, bank);
            existingAccounts = tokens.teller().isPresent() ? List.of()
                    : Attack.chooseOwnersAccounts(bank, tokens, options.accounts());
        } catch (IllegalArgumentException cannotRun) {
            out.println(cannotRun.getMessage());
            return 2;
        }
        if (!options.json()) {
            out.println(whoActs(tokens, existingAccounts, options));
        }
        Attack attack = new Attack(options, bank, tokens, existingAccounts, out);
        List<RunResult> results = new ArrayList<>();
        boolean warm = options.warmup().isZero();
        for (String strategy : options.strategies()) {
            if (!bank.strategyEnabled(tokens.owners().get(0), strategy)) {
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
                new Attack(options.forWarmup(), bank, tokens, existingAccounts, out)
                        .run(strategy, Collections.max(options.concurrencies()));
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
        boolean failed = results.stream().anyMatch(result -> !result.moneyConserved()
                || result.audit() == RunResult.Audit.INCONSISTENT || result.safe() && result.deadlocks() > 0);
        return failed ? 1 : 0;
    }

    /** The tokens given with --token, else those at --tokens-from, else those dev mode serves at /dev/tokens. */
    private static LabTokens tokens(AttackOptions options, BankClient bank) throws IOException, InterruptedException {
        if (options.tokens() != null) {
            return options.tokens();
        }
        String source = options.tokensFrom() != null ? options.tokensFrom() : options.url() + "/dev/tokens";
        List<Token> found = LabTokens.read(source, bank);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("No token at " + source + (options.tokensFrom() != null ? ""
                    : " (only dev mode serves its sample users' tokens there)") + ": give --token <jwt> for each owner,"
                    + " or --tokens-from DIR|URL; see docs/lab.md.");
        }
        return LabTokens.of(found);
    }

    /** Whose accounts the runs use, and whether the books are audited: said once, before the first run. */
    private static String whoActs(LabTokens tokens, List<Attack.OwnedAccount> existingAccounts, AttackOptions options) {
        String accounts;
        if (tokens.teller().isPresent()) {
            List<Token> owners = tokens.owners().subList(0, Math.min(options.accounts(), tokens.owners().size()));
            accounts = options.accounts() + " fresh accounts of " + options.openingBalance() + " for " + owners
                    + " each run, opened by " + tokens.teller().get().subject();
        } else if (existingAccounts.size() > 10) {
            accounts = existingAccounts.size() + " of the owners' own, " + tokens.owners();
        } else {
            accounts = existingAccounts.stream().map(account -> account.id() + " (" + account.owner().subject() + ")")
                    .toList() + ", the owners' own";
        }
        String audit = tokens.auditor().map(auditor -> "audited by " + auditor.subject())
                .orElse("not audited (no auditor's token)");
        return "Accounts: " + accounts + "; the books " + audit + ".";
    }

    private static String load(AttackOptions options, int users) {
        String amount = options.duration() != null ? "for " + options.duration().toSeconds() + "s"
                : options.transfersPerUser() + " transfers each";
        return options.rate() > 0 ? "open loop at " + options.rate() + "/s " + amount : amount;
    }
}
