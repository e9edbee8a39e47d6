package org.acme.bank.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** The side-by-side table, and the report: Markdown with an SVG chart that any browser shows. */
final class Report {

    private static final Map<String, String> COLOURS = Map.of(
            "pessimistic", "#1f77b4", "optimistic", "#2ca02c", "naive", "#d62728");

    private Report() {
    }

    static String table(List<RunResult> results) {
        List<String[]> rows = rows(results);
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            table.append(String.format(Locale.ROOT, "%-26s", row[0]));
            for (int i = 1; i < row.length; i++) {
                table.append(String.format(Locale.ROOT, "%16s", row[i]));
            }
            table.append('\n');
        }
        return table.toString();
    }

    static void write(Path directory, String commandLine, List<RunResult> results) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("chart.svg"), chart(results));
        StringBuilder md = new StringBuilder();
        md.append("# Contention lab report\n\n");
        md.append("Command: `./mvnw -q exec:java@attack -Dexec.args=\"").append(commandLine).append("\"`\n\n");
        md.append("Client machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append(", Java ").append(System.getProperty("java.version")).append("\n\n");
        md.append("![throughput, p99 latency, deadlocks and retries against concurrency](chart.svg)\n\n");
        List<String[]> rows = rows(results);
        md.append('|');
        for (String cell : rows.get(0)) {
            md.append(' ').append(cell).append(" |");
        }
        md.append("\n|");
        md.append(" --- |".repeat(rows.get(0).length));
        md.append('\n');
        for (String[] row : rows.subList(1, rows.size())) {
            md.append('|');
            for (String cell : row) {
                md.append(' ').append(cell).append(" |");
            }
            md.append('\n');
        }
        Files.writeString(directory.resolve("report.md"), md.toString());
    }

    private static List<String[]> rows(List<RunResult> results) {
        boolean oneConcurrency = results.stream().map(RunResult::users).distinct().count() <= 1;
        List<String[]> rows = new ArrayList<>();
        rows.add(row("", results, r -> oneConcurrency ? r.strategy() : r.strategy() + " x" + r.users()));
        rows.add(row("users", results, r -> String.valueOf(r.users())));
        rows.add(row("requests", results, r -> String.valueOf(r.requests())));
        rows.add(row("succeeded", results, r -> String.valueOf(r.succeeded())));
        rows.add(row("deadlocks", results, r -> String.valueOf(r.deadlocks())));
        rows.add(row("other conflicts (409)", results, r -> String.valueOf(r.otherConflicts())));
        rows.add(row("insufficient funds (422)", results, r -> String.valueOf(r.insufficientFunds())));
        rows.add(row("errors (5xx, dropped)", results, r -> String.valueOf(r.errors())));
        rows.add(row("retries", results, r -> String.valueOf(r.retries())));
        rows.add(row("throughput (ok/s)", results, r -> format(r.throughput())));
        rows.add(row("latency p50 (ms)", results, r -> format(r.latencyMillis(50))));
        rows.add(row("latency p95 (ms)", results, r -> format(r.latencyMillis(95))));
        rows.add(row("latency p99 (ms)", results, r -> format(r.latencyMillis(99))));
        rows.add(row("latency max (ms)", results, r -> format(r.maxLatencyMillis())));
        rows.add(row("money conserved", results, r -> r.moneyConserved() ? "yes" : "NO"));
        rows.add(row("books consistent (audit)", results, r -> r.booksConsistent() ? "yes" : "NO"));
        return rows;
    }

    private static String[] row(String label, List<RunResult> results, Function<RunResult, String> cell) {
        String[] row = new String[results.size() + 1];
        row[0] = label;
        for (int i = 0; i < results.size(); i++) {
            row[i + 1] = cell.apply(results.get(i));
        }
        return row;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    // ---- the chart: three panels against concurrency (log2 axis), one line per strategy ----

    private static final int PANEL_WIDTH = 340;
    private static final int PANEL_HEIGHT = 300;
    private static final int LEFT = 60;
    private static final int TOP = 40;
    private static final int PLOT_WIDTH = 250;
    private static final int PLOT_HEIGHT = 200;

    private static String chart(List<RunResult> results) {
        Map<String, List<RunResult>> byStrategy = new LinkedHashMap<>();
        for (RunResult result : results) {
            byStrategy.computeIfAbsent(result.strategy(), key -> new ArrayList<>()).add(result);
        }
        TreeSet<Integer> users = new TreeSet<>();
        results.forEach(result -> users.add(result.users()));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                PANEL_WIDTH * 3, PANEL_HEIGHT + 30));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        panel(svg, 0, "throughput (successful transfers/s)", byStrategy, users, RunResult::throughput, false);
        panel(svg, 1, "p99 latency (ms)", byStrategy, users, r -> r.latencyMillis(99), false);
        panel(svg, 2, "deadlocks (solid), retries (dashed)", byStrategy, users, RunResult::deadlocks, true);
        int x = LEFT;
        for (String strategy : byStrategy.keySet()) {
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
                    x, PANEL_HEIGHT + 8, colour(strategy), x + 16, PANEL_HEIGHT + 18, strategy));
            x += 110;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void panel(StringBuilder svg, int index, String title, Map<String, List<RunResult>> byStrategy,
            TreeSet<Integer> users, ToDoubleFunction<RunResult> value, boolean withRetries) {
        int originX = index * PANEL_WIDTH + LEFT;
        int originY = TOP + PLOT_HEIGHT;
        double max = 0;
        for (List<RunResult> line : byStrategy.values()) {
            for (RunResult result : line) {
                max = Math.max(max, value.applyAsDouble(result));
                if (withRetries) {
                    max = Math.max(max, result.retries());
                }
            }
        }
        max = max == 0 ? 1 : max * 1.1;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
                originX, TOP - 15, title));
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                originX, originY, originX + PLOT_WIDTH, originY, originX, originY, originX, TOP));
        for (int tick = 0; tick <= 4; tick++) {
            double tickValue = max * tick / 4;
            int y = originY - (int) (PLOT_HEIGHT * tick / 4.0);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    originX, y, originX + PLOT_WIDTH, y, originX - 5, y + 4, format(tickValue)));
        }
        for (int concurrency : users) {
            int x = xOf(concurrency, users, originX);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    x, originY + 15, concurrency));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">concurrent users</text>%n",
                originX + PLOT_WIDTH / 2, originY + 32));
        for (Map.Entry<String, List<RunResult>> line : byStrategy.entrySet()) {
            polyline(svg, line.getValue(), users, originX, originY, max, value, colour(line.getKey()), false);
            if (withRetries) {
                polyline(svg, line.getValue(), users, originX, originY, max, RunResult::retries, colour(line.getKey()), true);
            }
        }
    }

    private static void polyline(StringBuilder svg, List<RunResult> line, TreeSet<Integer> users, int originX,
            int originY, double max, ToDoubleFunction<RunResult> value, String colour, boolean dashed) {
        StringBuilder points = new StringBuilder();
        for (RunResult result : line) {
            int x = xOf(result.users(), users, originX);
            int y = originY - (int) (PLOT_HEIGHT * value.applyAsDouble(result) / max);
            points.append(x).append(',').append(y).append(' ');
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\"/>%n", x, y, colour));
        }
        svg.append(String.format(Locale.ROOT,
                "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                points.toString().trim(), colour, dashed ? " stroke-dasharray=\"5,4\"" : ""));
    }

    private static int xOf(int concurrency, TreeSet<Integer> users, int originX) {
        if (users.size() == 1) {
            return originX + PLOT_WIDTH / 2;
        }
        double low = Math.log(users.first());
        double high = Math.log(users.last());
        return originX + 10 + (int) ((PLOT_WIDTH - 20) * (Math.log(concurrency) - low) / (high - low));
    }

    private static String colour(String strategy) {
        return COLOURS.getOrDefault(strategy, "#7f7f7f");
    }
}
