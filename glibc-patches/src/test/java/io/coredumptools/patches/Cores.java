package io.coredumptools.patches;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.testkit.CoreFixture;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Opening fixture cores as a stock system would see them (no debug files), and reading gdb's answers. */
final class Cores {
    private Cores() {}

    /** The core with the system debug directory switched off: only .dynsym, as on a machine without libc6-dbg. */
    static CoreDump withoutDebugFiles(CoreFixture fixture) {
        try {
            return CoreDump.open(
                    fixture.core(),
                    CoreOptions.defaults().withExecutable(fixture.program()).withSystemDebugDir(null));
        } catch (CoreFormatException e) {
            throw new UncheckedIOException(new java.io.IOException(e));
        }
    }

    /** The core with debug files (libc6-dbg is installed here): names in reports only. */
    static CoreDump withDebugFiles(CoreFixture fixture) {
        try {
            return CoreDump.open(fixture.core(), CoreOptions.defaults().withExecutable(fixture.program()));
        } catch (CoreFormatException e) {
            throw new UncheckedIOException(new java.io.IOException(e));
        }
    }

    /** The first hex number after {@code marker} in gdb's output ({@code $1 = (…) 0x7f… <x>} → 0x7f…). */
    static long hexAfter(String output, String marker) {
        int at = output.indexOf(marker);
        if (at < 0) {
            throw new AssertionError("'" + marker + "' not in gdb output:\n" + output);
        }
        Matcher m = Pattern.compile("0x([0-9a-f]+)").matcher(output.substring(at + marker.length()));
        if (!m.find()) {
            throw new AssertionError("no hex number after '" + marker + "' in gdb output:\n" + output);
        }
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    /** The decimal value printed as {@code $N = value} for history number {@code n}. */
    static long valueOf(String output, int n) {
        Matcher m =
                Pattern.compile("^\\$" + n + " = (-?\\d+)", Pattern.MULTILINE).matcher(output);
        if (!m.find()) {
            throw new AssertionError("$" + n + " not in gdb output:\n" + output);
        }
        return Long.parseLong(m.group(1));
    }
}
