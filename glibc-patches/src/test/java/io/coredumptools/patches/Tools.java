package io.coredumptools.patches;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** readelf and objdump as ground truth. */
final class Tools {
    private Tools() {}

    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
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
