package io.coredumptools.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs JMH (every argument is a JMH option, as for {@code org.openjdk.jmh.Main}) and then prints a Markdown
 * table of the results: median and 90th percentile per call, the target and emucore's figure for the
 * same thing (from the peer measurements in the project notes) with the ratio to it. {@code --table FILE}
 * (first) writes the table to FILE as well.
 */
public final class BenchMain {
    private BenchMain() {}

    /** What a benchmark is compared with; figures in microseconds, 0 when there is none. */
    private record Reference(String what, String target, double emucoreLowUs, double emucoreHighUs, String note) {}

    /** Table order: the calls, the restores, then open. */
    private static final List<String> ORDER = List.of(
            "nextIdKeepStateNoFlush",
            "nextIdKeepState",
            "nextIdFromCrashImage",
            "listSumKeepState",
            "restoreAfterMemset",
            "restoreUnchanged",
            "openAndClose");

    private static int rank(RunResult run) {
        String name = run.getParams().getBenchmark();
        int rank = ORDER.indexOf(name.substring(name.lastIndexOf('.') + 1));
        return rank < 0 ? ORDER.size() : rank;
    }

    private static Reference reference(String benchmark, String param) {
        return switch (benchmark) {
            case "nextIdKeepState" ->
                new Reference(
                        "`next_id()`, keep-state (defaults otherwise: fflush after the call)", "≤ 6 µs", 12, 16, "");
            case "nextIdKeepStateNoFlush" ->
                new Reference("`next_id()`, keep-state, no fflush after the call", "≤ 6 µs", 12, 16, "");
            case "nextIdFromCrashImage" ->
                new Reference(
                        "`next_id()`, defaults: restore of the crash image + call + fflush",
                        "—",
                        12,
                        16,
                        "emucore did not restore between calls");
            case "listSumKeepState" ->
                new Reference("`list_sum(list_head)`, 100k nodes, keep-state", "—", 1600, 1600, "");
            case "restoreAfterMemset" ->
                new Reference(
                        "`restoreCrashImage()` after a `memset` of 96 pages, 2 GiB core",
                        "< 1 ms",
                        0,
                        0,
                        "emucore did not restore");
            case "restoreUnchanged" ->
                new Reference("`restoreCrashImage()` with nothing changed, 2 GiB core", "—", 0, 0, "");
            case "openAndClose" ->
                new Reference(
                        "`Emulator.open` + `close`, " + ("bigmem".equals(param) ? "2 GiB core" : "demo core"),
                        "—",
                        90_000,
                        90_000,
                        "emucore: load, ~90 ms either size");
            default -> new Reference("`" + benchmark + "`", "—", 0, 0, "");
        };
    }

    public static void main(String[] args) throws Exception {
        Path table = null;
        if (args.length >= 2 && args[0].equals("--table")) {
            table = Path.of(args[1]);
            args = Arrays.copyOfRange(args, 2, args.length);
        }
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.shouldHelp() || options.shouldList() || options.shouldListProfilers()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Collection<RunResult> results = new Runner(options).run();
        List<String> lines = table(results);
        lines.forEach(System.out::println);
        if (table != null) {
            writeLines(table, lines);
        }
    }

    private static List<String> table(Collection<RunResult> results) {
        List<String> lines = new ArrayList<>();
        lines.add("| what | median | p90 | mean ± 99.9% CI | samples | target | emucore | × emucore |");
        lines.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort(java.util.Comparator.comparingInt(BenchMain::rank));
        for (RunResult run : sorted) {
            String name = run.getParams().getBenchmark();
            String method = name.substring(name.lastIndexOf('.') + 1);
            String param = run.getParams().getParamsKeys().contains("core")
                    ? run.getParams().getParam("core")
                    : null;
            Reference ref = reference(method, param);
            Statistics stats = run.getPrimaryResult().getStatistics();
            String unit = run.getPrimaryResult().getScoreUnit();
            double toUs = toMicros(unit);
            double medianUs = stats.getPercentile(50.0) * toUs;
            double p90Us = stats.getPercentile(90.0) * toUs;
            double meanUs = stats.getMean() * toUs;
            double errorUs = Double.isNaN(stats.getMeanErrorAt(0.999)) ? 0 : stats.getMeanErrorAt(0.999) * toUs;
            String emucore = ref.emucoreLowUs() == 0
                    ? "—"
                    : ref.emucoreLowUs() == ref.emucoreHighUs()
                            ? time(ref.emucoreLowUs())
                            : String.format(Locale.ROOT, "%.0f–%.0f µs", ref.emucoreLowUs(), ref.emucoreHighUs());
            String ratio = ref.emucoreLowUs() == 0
                    ? "—"
                    : ref.emucoreLowUs() == ref.emucoreHighUs()
                            ? ratio(medianUs / ref.emucoreLowUs())
                            : ratio(medianUs / ref.emucoreHighUs()) + "–" + ratio(medianUs / ref.emucoreLowUs());
            if (!ref.note().isEmpty()) {
                emucore = emucore.equals("—") ? "— (" + ref.note() + ")" : emucore + " (" + ref.note() + ")";
            }
            lines.add(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s ± %s | %d | %s | %s | %s |",
                    ref.what(),
                    time(medianUs),
                    time(p90Us),
                    time(meanUs),
                    time(errorUs),
                    stats.getN(),
                    ref.target(),
                    emucore,
                    ratio));
        }
        return lines;
    }

    private static double toMicros(String unit) {
        String perOp = unit.replace("/op", "");
        TimeUnit timeUnit = switch (perOp) {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "us" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "s" -> TimeUnit.SECONDS;
            default -> throw new IllegalArgumentException("unexpected score unit " + unit);
        };
        return timeUnit.toNanos(1) / 1000.0;
    }

    private static String time(double us) {
        if (us >= 10_000) {
            return String.format(Locale.ROOT, "%.1f ms", us / 1000);
        }
        if (us >= 1000) {
            return String.format(Locale.ROOT, "%.2f ms", us / 1000);
        }
        if (us >= 100) {
            return String.format(Locale.ROOT, "%.0f µs", us);
        }
        return String.format(Locale.ROOT, "%.2f µs", us);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2g", r);
    }

    private static void writeLines(Path file, List<String> lines) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            lines.forEach(out::println);
        }
    }
}
