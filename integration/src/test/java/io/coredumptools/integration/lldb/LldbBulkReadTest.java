package io.coredumptools.integration.lldb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbProcess;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk reads through corestub are the process's bytes exactly: lldb's {@code memory read --binary} (binary {@code x}
 * replies of up to 131,002 bytes, escaped) and gdb's {@code dump binary memory} (hex {@code m} replies) of a range of
 * libc that holds every byte value, the four escaped ones many times, and runs from one of its mappings into the
 * next, give the bytes gdb dumps from the core file.
 */
class LldbBulkReadTest {
    private static final int MAX_LENGTH = 2 << 20;

    @Test
    void lldbAndGdbReadWhatGdbDumpsFromTheCore(@TempDir Path directory) throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        long start;
        long length;
        long firstMappingEnd;
        try (CoreDump core = CoreDump.open(f.core(), CoreOptions.defaults())) {
            List<FileMapping> libc = core.fileMappings().stream()
                    .filter(m -> m.path().contains("/libc.so"))
                    .sorted(Comparator.comparingLong(FileMapping::start))
                    .toList();
            assertThat(libc).hasSizeGreaterThan(1);
            start = libc.get(0).start();
            firstMappingEnd = libc.get(0).end();
            long end = start;
            for (FileMapping m : libc) {
                if (m.start() != end) {
                    break;
                }
                end = m.end();
            }
            length = Math.min(end - start, MAX_LENGTH);
        }
        assertThat(firstMappingEnd - start)
                .as("the range crosses into libc's next mapping")
                .isLessThan(length);
        String range = String.format("0x%x 0x%x", start, start + length);

        Path onCore = directory.resolve("core.bin");
        GdbTranscript gdbOnCore = GdbTranscript.onCore(f, "dump binary memory " + onCore + " " + range);
        assertThat(onCore).as(gdbOnCore.describe()).exists();
        byte[] expected = Files.readAllBytes(onCore);
        assertThat(expected).hasSize((int) length);
        for (char escaped : new char[] {'$', '#', '}', '*'}) {
            assertThat(count(expected, (byte) escaped))
                    .as("'%s' in the range", escaped)
                    .isGreaterThan(100);
        }

        Path viaX = directory.resolve("x.bin");
        Path viaM = directory.resolve("m.bin");
        try (CorestubServer server = CorestubServer.serve(f)) {
            LldbRun lldb = LldbRun.remote(
                    server.address(),
                    f.directory(),
                    String.format("memory read --binary --force --outfile %s --count %d 0x%x", viaX, length, start));
            assertThat(viaX).as(lldb.describe()).exists();
            GdbTranscript gdb = GdbProcess.connectedTo(server)
                    .program(f.program())
                    .setup("set remotetimeout 60")
                    .run("dump binary memory " + viaM + " " + range);
            assertThat(viaM).as(gdb.describe()).exists();
        }
        assertSameBytes("lldb memory read --binary (x)", Files.readAllBytes(viaX), expected, start);
        assertSameBytes("gdb dump binary memory (m)", Files.readAllBytes(viaM), expected, start);
    }

    private static int count(byte[] bytes, byte value) {
        int n = 0;
        for (byte b : bytes) {
            n += b == value ? 1 : 0;
        }
        return n;
    }

    /** Equal, or where they first differ (a whole-array diff of 2 MiB would not help). */
    private static void assertSameBytes(String how, byte[] got, byte[] expected, long start) {
        int at = Arrays.mismatch(got, expected);
        assertThat(at)
                .as(
                        "%s: %d bytes; first difference at 0x%x (got %s, gdb on the core %s)",
                        how,
                        got.length,
                        start + Math.max(at, 0),
                        at >= 0 && at < got.length ? String.format("%02x", got[at]) : "-",
                        at >= 0 && at < expected.length ? String.format("%02x", expected[at]) : "-")
                .isEqualTo(-1);
    }
}
