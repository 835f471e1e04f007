package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Acceptance: gdb's {@code info proc} through corestub reads /proc files made from the core (never the host's).
 * {@code cmdline} is the argv the core recorded (gdb on the core file shows NT_PRPSINFO's first 80 characters of
 * it as the exe line); {@code exe} is the executable's NT_FILE path, as readlink gives it on the live process
 * (gdb on the core prints the command instead); every
 * NT_FILE row gdb prints on the core file is in {@code info proc mappings} with its name, and the kernel's pseudo
 * mappings are named where the process had them: {@code [stack]} holds the main thread's stack pointer,
 * {@code [vdso]} starts at AT_SYSINFO_EHDR, {@code [heap]} is there. {@code stat} and {@code status} parse.
 */
class GdbInfoProcTest {
    /** A row of gdb's mapping table: start, end, size, offset, [perms], objfile. */
    private static final Pattern ROW = Pattern.compile(
            "^[ \\t]+(0x\\p{XDigit}+)[ \\t]+(0x\\p{XDigit}+)[ \\t]+(0x\\p{XDigit}+)[ \\t]+(0x\\p{XDigit}+)"
                    + "(?:[ \\t]+([r-][w-][x-][ps]))?[ \\t]*(.*)$",
            Pattern.MULTILINE);

    private record Row(BigInteger start, BigInteger end, String offset, String name) {}

    private static List<Row> rows(String table) {
        List<Row> rows = new ArrayList<>();
        Matcher m = ROW.matcher(table);
        while (m.find()) {
            rows.add(new Row(
                    new BigInteger(m.group(1).substring(2), 16),
                    new BigInteger(m.group(2).substring(2), 16),
                    m.group(4),
                    m.group(6).strip()));
        }
        return rows;
    }

    private static Row named(List<Row> rows, String name, String describe) {
        return rows.stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " row\n" + describe));
    }

    @ParameterizedTest
    @EnumSource(
            value = Fixture.class,
            names = {"DEMO_PIE", "DEMO_NO_PIE", "DEMO_STATIC", "DEMO_GCORE"})
    void infoProcPrintsTheCoresProcessWithItsMappingNames(Fixture fixture) throws Exception {
        CoreFixture f = Fixtures.get(fixture);
        String recordedExe;
        try (CoreDump core = CoreDump.open(f.core(), CoreOptions.defaults().withExecutable(f.program()))) {
            recordedExe = core.executable().orElseThrow().recordedPath();
        }
        GdbTranscript onCore = GdbTranscript.onCore(f, "info proc exe", "info proc mappings");
        Matcher coreExe = Pattern.compile("exe = '(.*)'").matcher(onCore.section(0));
        assertThat(coreExe.find()).as(onCore.describe()).isTrue();
        List<Row> coreRows = rows(onCore.section(1));
        assertThat(coreRows).as(onCore.describe()).isNotEmpty();

        GdbTranscript t;
        try (CorestubServer server = CorestubServer.serve(f)) {
            t = GdbProcess.connectedTo(server)
                    .program(f.program())
                    .run(
                            "info proc cmdline",
                            "info proc exe",
                            "info proc mappings",
                            "thread 1",
                            "print/x $sp",
                            "info auxv",
                            "info proc stat",
                            "info proc status");
        }
        String d = t.describe();
        assertThat(t.text()).as(d).doesNotContain("unable to open /proc file");
        Matcher cmdline = Pattern.compile("cmdline = '(.*)'").matcher(t.section(0));
        assertThat(cmdline.find()).as(d).isTrue();
        assertThat(cmdline.group(1))
                .as("argv as recorded (gdb on the core: " + coreExe.group(0) + ", NT_PRPSINFO's 80 characters)\n" + d)
                .startsWith(coreExe.group(1));
        Matcher exe = Pattern.compile("exe = '(.*)'").matcher(t.section(1));
        assertThat(exe.find()).as(d).isTrue();
        assertThat(exe.group(1))
                .as("the executable's NT_FILE path, as live\n" + d)
                .isEqualTo(recordedExe);

        List<Row> served = rows(t.section(2));
        for (Row fileRow : coreRows) {
            assertThat(served).as("gdb on the core lists " + fileRow + "\n" + d).contains(fileRow);
        }
        BigInteger sp = new BigInteger(t.value(4).substring(2), 16);
        Row stack = named(served, "[stack]", d);
        assertThat(sp.compareTo(stack.start()) >= 0 && sp.compareTo(stack.end()) < 0)
                .as("[stack] holds $sp " + t.value(4) + "\n" + d)
                .isTrue();
        Matcher vdso = Pattern.compile("AT_SYSINFO_EHDR.*(0x\\p{XDigit}+)").matcher(t.section(5));
        assertThat(vdso.find()).as(d).isTrue();
        assertThat(named(served, "[vdso]", d).start())
                .isEqualTo(new BigInteger(vdso.group(1).substring(2), 16));
        named(served, "[heap]", d);
        named(served, "[vsyscall]", d);

        assertThat(t.section(6))
                .as(d)
                .contains("Process: ")
                .contains("Exec file: ")
                .contains("State: t")
                .contains("Parent process: ");
        assertThat(t.section(7)).as(d).contains("State:\tt (tracing stop)").contains("Threads:\t2");
    }
}
