package org.acme.bank.lab;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The attack client's command line. {@code tokens} are those given with --token, null when none was: they are then
 * read from {@code tokensFrom}, or by default from dev mode's /dev/tokens.
 */
record AttackOptions(
        URI url,
        List<String> strategies,
        List<Integer> concurrencies,
        int transfersPerUser,
        Duration duration,
        int accounts,
        double zipf,
        BigDecimal amount,
        BigDecimal openingBalance,
        double rate,
        boolean json,
        Path reportDirectory,
        Duration warmup,
        LabTokens tokens,
        String tokensFrom,
        int bulk) {

    static final List<String> ALL_STRATEGIES = List.of("pessimistic", "optimistic", "batched", "naive");
    static final List<String> SAFE_STRATEGIES = List.of("pessimistic", "optimistic", "batched");
    /** Not a strategy: POST /transfers/bulk, each request carrying {@code bulk} transfers through batched's writer. */
    static final String BULK = "bulk";

    static final String USAGE = """
            Usage: ./mvnw -q test-compile exec:java@attack -Dexec.args="[options]"
              --url URL             the service (default http://localhost:8080)
              --strategy S          pessimistic | optimistic | batched | naive | all (default all), or bulk:
                                    POST /transfers/bulk, each request carrying --bulk transfers of one pair
              --bulk N              transfers per bulk request, 1 to 1000 (default 100)
              --users N             concurrent clients (default 8)
              --sweep 1,2,4,...     run each strategy at each of these concurrencies instead of --users
              --transfers N         transfers per user (default 3), or
              --duration 30s        keep going for this long (ms, s or m)
              --accounts K          accounts to spread over, 2 to 100000 (default 2)
              --zipf S              skew the choice of accounts by a Zipf law of exponent S (default 0: uniform)
              --amount A            amount of each transfer (default 10.00)
              --balance B           opening balance of each account a teller opens (default 1000000.00)
              --token JWT           a bearer token, one per user (repeat it): those without a role are the owners,
                                    who send the transfers from their own accounts with money in them; a teller's
                                    opens fresh accounts for them each run instead; an auditor's audits the books
              --tokens-from SRC     the tokens in a directory (a file each) or at a URL (URL/<user> for the sample
                                    users Alice, Bob, Carol, Dave, Erin, Teller, Auditor). Without either option:
                                    the service's /dev/tokens, which dev mode serves
              --rate R              open loop: R transfers/s whatever the answers (latency from each intended start)
              --json                print one machine-readable summary line only
              --report DIR          write DIR/report.md and DIR/chart.svg
              --warmup 10s          first run unmeasured transfers for this long, so that neither JVM is cold
            """;

    /** The same workload, unmeasured and silent, for {@code warmup}. */
    AttackOptions forWarmup() {
        return new AttackOptions(url, strategies, concurrencies, transfersPerUser, warmup, accounts, zipf, amount,
                openingBalance, 0, true, null, Duration.ZERO, tokens, tokensFrom, bulk);
    }

    int requestsPerRun(int users) {
        if (duration != null) {
            return rate > 0 ? (int) Math.ceil(rate * duration.toMillis() / 1000.0) : -1;
        }
        return users * transfersPerUser;
    }

    static AttackOptions parse(String[] args) {
        URI url = URI.create("http://localhost:8080");
        List<String> strategies = ALL_STRATEGIES;
        List<Integer> concurrencies = List.of(8);
        int transfers = 3;
        Duration duration = null;
        int accounts = 2;
        double zipf = 0;
        BigDecimal amount = new BigDecimal("10.00");
        BigDecimal balance = new BigDecimal("1000000.00");
        double rate = 0;
        boolean json = false;
        Path report = null;
        Duration warmup = Duration.ZERO;
        List<Token> tokens = new ArrayList<>();
        String tokensFrom = null;
        int bulk = 100;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--json")) {
                json = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--url" -> url = URI.create(value.replaceAll("/+$", ""));
                case "--strategy" -> strategies = value.equals("all") ? ALL_STRATEGIES : List.of(known(value));
                case "--users" -> concurrencies = List.of(positive(option, value));
                case "--sweep" -> concurrencies = sweep(value);
                case "--transfers" -> transfers = positive(option, value);
                case "--duration" -> duration = duration(value);
                case "--accounts" -> accounts = between(option, value, 2, 100_000);
                case "--zipf" -> zipf = nonNegative(option, value);
                case "--amount" -> amount = money(option, value);
                case "--balance" -> balance = money(option, value);
                case "--rate" -> rate = nonNegative(option, value);
                case "--report" -> report = Path.of(value);
                case "--warmup" -> warmup = duration(value);
                case "--token" -> tokens.add(token(value));
                case "--tokens-from" -> tokensFrom = value;
                case "--bulk" -> bulk = between(option, value, 1, 1000);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (!tokens.isEmpty() && tokensFrom != null) {
            throw new IllegalArgumentException("--token and --tokens-from do not mix: give the tokens one way");
        }
        return new AttackOptions(url, strategies, concurrencies, transfers, duration, accounts, zipf, amount, balance,
                rate, json, report, warmup, tokens.isEmpty() ? null : LabTokens.of(tokens), tokensFrom, bulk);
    }

    private static Token token(String value) {
        try {
            return Token.of(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--token: " + e.getMessage(), e);
        }
    }

    private static String known(String strategy) {
        if (!ALL_STRATEGIES.contains(strategy) && !strategy.equals(BULK)) {
            throw new IllegalArgumentException("unknown strategy " + strategy);
        }
        return strategy;
    }

    private static List<Integer> sweep(String value) {
        List<Integer> concurrencies = new ArrayList<>();
        for (String part : value.split(",")) {
            concurrencies.add(positive("--sweep", part.trim()));
        }
        return List.copyOf(concurrencies);
    }

    private static Duration duration(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            if (text.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("durations take a number with ms, s or m, such as 30s");
    }

    private static int positive(String option, String value) {
        return between(option, value, 1, Integer.MAX_VALUE);
    }

    private static int between(String option, String value, int min, int max) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a whole number from " + min + " to " + max);
    }

    private static double nonNegative(String option, String value) {
        try {
            double number = Double.parseDouble(value);
            if (number >= 0 && Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a number >= 0");
    }

    private static BigDecimal money(String option, String value) {
        try {
            BigDecimal number = new BigDecimal(value);
            if (number.signum() > 0 && number.stripTrailingZeros().scale() <= 2) {
                return number.setScale(2);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a positive amount with at most 2 decimals");
    }
}
