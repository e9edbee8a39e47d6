package org.acme.bank.lab;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** What one run of one strategy at one concurrency produced. Latencies are in nanoseconds. */
record RunResult(
        String strategy,
        int users,
        int requests,
        int succeeded,
        int deadlocks,
        int otherConflicts,
        int insufficientFunds,
        int errors,
        long retries,
        double seconds,
        long[] sortedLatencies,
        boolean moneyConserved,
        Audit audit) {

    /** What the audit of the books said after the run; it runs only with an auditor's token. */
    enum Audit {
        CONSISTENT("yes"), INCONSISTENT("NO"), NOT_RUN("not run");

        final String label;

        Audit(String label) {
            this.label = label;
        }
    }

    double throughput() {
        return seconds == 0 ? 0 : succeeded / seconds;
    }

    double latencyMillis(double percentile) {
        if (sortedLatencies.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percentile / 100 * sortedLatencies.length) - 1;
        return sortedLatencies[Math.max(0, Math.min(index, sortedLatencies.length - 1))] / 1_000_000.0;
    }

    double maxLatencyMillis() {
        return sortedLatencies.length == 0 ? 0 : sortedLatencies[sortedLatencies.length - 1] / 1_000_000.0;
    }

    boolean safe() {
        return AttackOptions.SAFE_STRATEGIES.contains(strategy);
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("strategy", strategy);
        map.put("users", users);
        map.put("requests", requests);
        map.put("succeeded", succeeded);
        map.put("deadlocks", deadlocks);
        map.put("otherConflicts", otherConflicts);
        map.put("insufficientFunds", insufficientFunds);
        map.put("errors", errors);
        map.put("retries", retries);
        map.put("seconds", round(seconds));
        map.put("throughput", round(throughput()));
        map.put("p50Millis", round(latencyMillis(50)));
        map.put("p95Millis", round(latencyMillis(95)));
        map.put("p99Millis", round(latencyMillis(99)));
        map.put("maxMillis", round(maxLatencyMillis()));
        map.put("moneyConserved", moneyConserved);
        map.put("booksConsistent", audit == Audit.NOT_RUN ? null : audit == Audit.CONSISTENT);
        return map;
    }

    static long[] sorted(long[] latencies) {
        long[] copy = latencies.clone();
        Arrays.sort(copy);
        return copy;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
