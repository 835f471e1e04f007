package io.coredumptools.benchmarks;

import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.emulator.Argument;
import io.coredumptools.emulator.CallResult;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Resident memory of this JVM around {@code Emulator.open} on one core (not a timing, so not JMH): VmRSS
 * (and its anonymous and file parts) from /proc/self/status at JVM start, after open, after one call and
 * after restoreCrashImage(). The call is {@code next_id()} when the core has it (demo), else a
 * {@code memset} of 96 pages of the largest writable segment (bigmem's heap).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.coredumptools.benchmarks.RssProbe CORE [LABEL]}. Prints one
 * Markdown table row on stdout (MiB): the label (else the core's file name), its size, baseline, after open, after the call, after the restore,
 * and the growth from baseline to after the call; details on stderr.
 */
public final class RssProbe {
    private RssProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: RssProbe CORE [LABEL]");
            System.exit(2);
        }
        Map<String, Long> baseline = status();
        Path core = Path.of(args[0]);
        long coreBytes = Files.size(core);

        String call;
        Map<String, Long> opened;
        Map<String, Long> called;
        Map<String, Long> restored;
        try (Emulator emulator = Emulator.open(core, EmulatorOptions.defaults().withKeepState(true))) {
            opened = status();
            CallResult result;
            if (emulator.symbols().lookup("next_id").isPresent()) {
                call = "next_id()";
                result = emulator.call("next_id");
            } else {
                LoadSegment heap = BenchCores.largestWritableSegment(emulator);
                call = "memset(heap, 0x5a, 96 pages)";
                result = emulator.call(
                        "memset", Argument.of(heap.vaddr() + 4096), Argument.of(0x5a), Argument.of(96 * 4096L));
            }
            called = status();
            largestMappings().forEach(line -> System.err.println("rss:   " + line));
            emulator.restoreCrashImage();
            restored = status();
            System.err.printf("rss: %s: %s returned 0x%x%n", core, call, result.rax());
        }
        print("baseline (JVM started)", baseline);
        print("after Emulator.open", opened);
        print("after " + call, called);
        print("after restoreCrashImage()", restored);
        System.out.printf(
                Locale.ROOT,
                "| %s | %.0f | %s | %.1f | %.1f | %.1f | %.1f | %+.1f |%n",
                args.length > 1 ? args[1] : core.getFileName(),
                coreBytes / 1048576.0,
                call,
                mib(baseline),
                mib(opened),
                mib(called),
                mib(restored),
                mib(called) - mib(baseline));
    }

    private static double mib(Map<String, Long> status) {
        return status.get("VmRSS") / 1024.0;
    }

    private static void print(String when, Map<String, Long> status) {
        System.err.printf(
                Locale.ROOT,
                "rss: %-40s VmRSS %7.1f MiB (anon %7.1f, file %7.1f, shmem %5.1f)%n",
                when,
                status.get("VmRSS") / 1024.0,
                status.getOrDefault("RssAnon", 0L) / 1024.0,
                status.getOrDefault("RssFile", 0L) / 1024.0,
                status.getOrDefault("RssShmem", 0L) / 1024.0);
    }

    /** The five mappings with the most resident memory, from /proc/self/smaps, as "Rss kB  range  name". */
    private static java.util.List<String> largestMappings() throws IOException {
        java.util.List<String[]> mappings = new java.util.ArrayList<>();
        String header = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (!line.isEmpty()
                    && Character.isLetterOrDigit(line.charAt(0))
                    && line.contains("-")
                    && !line.contains(":")) {
                header = line;
            } else if (line.startsWith("Rss:") && header != null) {
                mappings.add(new String[] {line.substring(4).replace("kB", "").trim(), header});
            } else if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                header = line;
            }
        }
        mappings.sort((a, b) -> Long.compare(Long.parseLong(b[0]), Long.parseLong(a[0])));
        return mappings.stream()
                .limit(5)
                .map(m -> String.format(Locale.ROOT, "%8.1f MiB  %s", Long.parseLong(m[0]) / 1024.0, m[1]))
                .toList();
    }

    /** The kB fields of /proc/self/status that we report. */
    private static Map<String, Long> status() throws IOException {
        Map<String, Long> fields = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon);
            if (name.equals("VmRSS") || name.startsWith("Rss")) {
                fields.put(
                        name,
                        Long.parseLong(
                                line.substring(colon + 1).replace("kB", "").trim()));
            }
        }
        return fields;
    }
}
