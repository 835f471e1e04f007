package io.coredumptools.patches;

import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.ExternalCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** readelf and objdump as ground truth. */
final class Tools {
    private Tools() {}

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Runs {@code command} (output drained while it runs, killed after the timeout); its stdout. */
    static String run(String... command) {
        CommandResult result = ExternalCommand.run(List.of(command), Path.of("").toAbsolutePath(), TIMEOUT);
        if (!result.succeeded()) {
            throw new AssertionError(result.describe());
        }
        return result.stdout();
    }

    /** A relocation as {@code readelf -rW} prints it. */
    record Reloc(long offset, String type, String symbol, long addend) {}

    static List<Reloc> relocations(Path file) {
        List<Reloc> result = new ArrayList<>();
        for (String line : run("readelf", "-rW", file.toString()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || !f[2].startsWith("R_X86_64_")) {
                continue;
            }
            long offset = Long.parseUnsignedLong(f[0], 16);
            if (f[2].equals("R_X86_64_IRELATIVE") || f[2].equals("R_X86_64_RELATIVE")) {
                result.add(new Reloc(offset, f[2], "", Long.parseUnsignedLong(f[3], 16)));
            } else if (f.length >= 5) {
                result.add(new Reloc(offset, f[2], f[4], f.length >= 7 ? Long.parseLong(f[6]) : 0));
            }
        }
        return result;
    }
}
