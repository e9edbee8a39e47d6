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
            "pessimistic", "#1f77b4", "optimistic", "#2ca02c", "batched", "#9467bd", "naive", "#d62728");

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
        // A report is shared: the tokens of the command line are not.
        md.append("Command: `./mvnw -q test-compile exec:java@attack -Dexec.args=\"")
                .append(commandLine.replaceAll("(--token\\s+)\\S+", "$1<token>")).append("\"`\n\n");
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
        rows.add(row("books consistent (audit)", results, r -> r.audit().label));
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
        panel(svg, 0, "throughput (successful transfers/s)", byStrategy, users, RunResult::throughput, false, false);
        panel(svg, 1, "p99 latency (ms, log scale)", byStrategy, users, r -> r.latencyMillis(99), false, true);
        panel(svg, 2, "deadlocks (solid), retries (dashed), log", byStrategy, users, RunResult::deadlocks, true, true);
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
            TreeSet<Integer> users, ToDoubleFunction<RunResult> value, boolean withRetries, boolean logarithmic) {
        int originX = index * PANEL_WIDTH + LEFT;
        int originY = TOP + PLOT_HEIGHT;
        double largest = 0;
        for (List<RunResult> line : byStrategy.values()) {
            for (RunResult result : line) {
                largest = Math.max(largest, value.applyAsDouble(result));
                if (withRetries) {
                    largest = Math.max(largest, result.retries());
                }
            }
        }
        Axis axis = logarithmic ? Axis.logarithmic(largest) : Axis.linear(largest);
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
                originX, TOP - 15, title));
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                originX, originY, originX + PLOT_WIDTH, originY, originX, originY, originX, TOP));
        for (double tick : axis.ticks()) {
            int y = originY - (int) (PLOT_HEIGHT * axis.position(tick));
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    originX, y, originX + PLOT_WIDTH, y, originX - 5, y + 4, label(tick)));
        }
        for (int concurrency : users) {
            int x = xOf(concurrency, users, originX);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    x, originY + 15, concurrency));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">concurrent users</text>%n",
                originX + PLOT_WIDTH / 2, originY + 32));
        for (Map.Entry<String, List<RunResult>> line : byStrategy.entrySet()) {
            polyline(svg, line.getValue(), users, originX, originY, axis, value, colour(line.getKey()), false);
            if (withRetries) {
                polyline(svg, line.getValue(), users, originX, originY, axis, RunResult::retries, colour(line.getKey()),
                        true);
            }
        }
    }

    /** Maps values to 0..1 of the plot height: linear from zero, or log10(1 + v) so small and huge values both show. */
    private record Axis(double top, boolean logarithmic) {

        static Axis linear(double largest) {
            double step = niceStep(Math.max(largest, 1) / 4);
            return new Axis(step * Math.ceil(Math.max(largest, 1) / step), false);
        }

        static Axis logarithmic(double largest) {
            return new Axis(Math.pow(10, Math.ceil(Math.log10(Math.max(largest, 1) + 1))), true);
        }

        double position(double value) {
            return logarithmic ? Math.log10(1 + value) / Math.log10(1 + top) : value / top;
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (logarithmic) {
                ticks.add(0.0);
                for (double tick = 1; tick <= top; tick *= 10) {
                    ticks.add(tick);
                }
            } else {
                for (int i = 0; i <= 4; i++) {
                    ticks.add(top * i / 4);
                }
            }
            return ticks;
        }

        private static double niceStep(double rough) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
            for (double multiple : new double[] {1, 2, 2.5, 5, 10}) {
                if (multiple * magnitude >= rough) {
                    return multiple * magnitude;
                }
            }
            return 10 * magnitude;
        }
    }

    private static String label(double tick) {
        return tick == Math.rint(tick) ? String.valueOf((long) tick) : format(tick);
    }

    private static void polyline(StringBuilder svg, List<RunResult> line, TreeSet<Integer> users, int originX,
            int originY, Axis axis, ToDoubleFunction<RunResult> value, String colour, boolean dashed) {
        StringBuilder points = new StringBuilder();
        for (RunResult result : line) {
            int x = xOf(result.users(), users, originX);
            int y = originY - (int) (PLOT_HEIGHT * axis.position(value.applyAsDouble(result)));
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
