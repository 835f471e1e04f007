package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.testkit.Bytes;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: a core served with a library of another build (here libm with one byte of its build-id changed, so
 * that its code still runs) shows the mismatch in gdb's console at connect, before the first stop, once per
 * connection; and under gdb/MI as a target-stream record, where an IDE shows it.
 */
class GdbConnectWarningsTest {
    @TempDir
    static Path dir;

    private static CoreFixture f;
    private static String recordedLibm;
    private static Path otherLibm;

    @BeforeAll
    static void otherBuildOfLibm() throws Exception {
        f = Fixtures.get(Fixture.DEMO_PIE);
        try (CoreDump core = CoreDump.open(f.core(), CoreOptions.defaults())) {
            recordedLibm = core.fileMappings().stream()
                    .map(FileMapping::path)
                    .filter(p -> p.endsWith("/libm.so.6"))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(Path.of(recordedLibm));
        String readelf = new ProcessBuilder("readelf", "-n", recordedLibm)
                .redirectErrorStream(true)
                .start()
                .inputReader()
                .lines()
                .reduce("", (a, b) -> a + b + "\n");
        Matcher id = Pattern.compile("Build ID: (\\p{XDigit}+)").matcher(readelf);
        assertThat(id.find()).as(readelf).isTrue();
        byte[] buildId = HexFormat.of().parseHex(id.group(1));
        int at = Bytes.indexOf(bytes, buildId);
        assertThat(at).isPositive();
        bytes[at + buildId.length - 1] ^= (byte) 0xff;
        otherLibm = Files.write(dir.resolve("libm.so.6"), bytes);
    }

    /**
     * A fault in code of a file of another build names that file. The gcore core leaves libm's unmodified text out,
     * so its bytes come from the file served: that copy has {@code ud2} at cbrt, and call_cbrt stops with SIGILL
     * there.
     */
    @Test
    void aFaultInCodeOfAFileOfAnotherBuildNamesTheFile() throws Exception {
        CoreFixture gcore = Fixtures.get(Fixture.DEMO_GCORE);
        byte[] bytes = Files.readAllBytes(otherLibm);
        long cbrt = -1;
        for (String line : run("nm", "-D", "--defined-only", recordedLibm).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].startsWith("cbrt@@")) {
                cbrt = Long.parseLong(f[0], 16);
            }
        }
        assertThat(cbrt).isPositive();
        long fileOffset = -1;
        for (String line : run("readelf", "-lW", recordedLibm).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[0].equals("LOAD")) {
                long offset = Long.decode(f[1]);
                long vaddr = Long.decode(f[2]);
                long size = Long.decode(f[4]);
                if (cbrt >= vaddr && cbrt < vaddr + size) {
                    fileOffset = cbrt - vaddr + offset;
                }
            }
        }
        assertThat(fileOffset).isPositive();
        bytes[(int) fileOffset] = 0x0f;
        bytes[(int) fileOffset + 1] = 0x0b; // ud2
        Path broken = Files.write(dir.resolve("libm-ud2.so.6"), bytes);
        GdbTranscript t;
        try (CorestubServer server = CorestubServer.serve(gcore, "--map", recordedLibm + "=" + broken)) {
            t = GdbProcess.connectedTo(server).program(gcore.program()).run("print call_cbrt(8.0)");
        }
        assertThat(t.section(0))
                .as(t.describe())
                .contains("SIGILL")
                .contains("warning: corestub: ")
                .contains("is in " + recordedLibm + ", but " + broken + " is another build of it");
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test
    void theMismatchIsInGdbsConsoleAtConnectOnce() {
        GdbTranscript t;
        try (CorestubServer server = CorestubServer.serve(f, "--map", recordedLibm + "=" + otherLibm)) {
            t = GdbProcess.connectedTo(server).program(f.program()).run("tstatus", "print next_id()");
        }
        String text = t.text();
        String warning = "warning: corestub: " + recordedLibm + ": " + otherLibm + " has build-id";
        int first = text.indexOf(warning);
        assertThat(first).as("the mismatch is shown\n" + t.describe()).isGreaterThanOrEqualTo(0);
        assertThat(first)
                .as("before the stop's frame line\n" + t.describe())
                .isLessThan(text.indexOf("__pthread_kill_implementation"));
        assertThat(text.indexOf(warning, first + 1))
                .as("once: tstatus does not repeat it")
                .isEqualTo(-1);
        assertThat(t.value(1)).as("the call still works\n" + t.describe()).isEqualTo("43");
    }

    @Test
    void anIdeSeesItAsATargetStreamRecord() throws Exception {
        try (CorestubServer server = CorestubServer.serve(f, "--map", recordedLibm + "=" + otherLibm);
                MiSession mi = new MiSession(f.program(), f.directory(), Duration.ofSeconds(60))) {
            MiSession.Reply connect = mi.send("-target-select remote " + server.address());
            assertThat(connect.result()).as(mi.transcript()).startsWith("^connected");
            assertThat(connect.records())
                    .as(mi.transcript())
                    .anyMatch(r -> r.startsWith("@\"warning: corestub: " + recordedLibm));
        }
    }
}
