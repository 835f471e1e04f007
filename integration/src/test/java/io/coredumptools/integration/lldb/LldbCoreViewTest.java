package io.coredumptools.integration.lldb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance, lldb's view: {@code lldb-16} with {@code gdb-remote} to corestub (no {@code target create}: lldb
 * finds the program through the library list) shows the same backtrace, threads, images, registers and memory
 * as lldb-16 on the core file itself, field by field. Normalised only where a core file and a process must
 * differ: lldb names only the first thread of a core and gives the others "signal 0"; it lists the vDSO of a
 * core (read from the core's memory) but loads it for a remote process only when it sees the program start.
 * Both with target.xml and with qRegisterInfo (an lldb without libxml2).
 */
class LldbCoreViewTest {
    private static final String[] COMMANDS = {
        "bt",
        "thread list",
        "image list",
        "register read",
        "memory read $sp",
        "memory read -c 64 &globals_marker",
        "thread select 2",
        "bt #2",
        "register read #2",
        "register read fs_base"
    };

    /** issue 9: lldb's kill gets the exit status it waits for, so it does not say "failed to send k packet". */
    @Test
    void killEndsTheSessionQuietly() {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        try (CorestubServer server = CorestubServer.serve(f, "--debug-protocol")) {
            LldbRun run = LldbRun.remote(server.address(), f.directory(), "bt 1", "process kill", "process status");
            String both = "\n" + run.describe() + "\n" + server.describe();
            assertThat(run.section("bt 1")).as(both).contains("libc.so.6");
            assertThat(run.section("process kill"))
                    .as(both)
                    .doesNotContain("failed to send k packet")
                    .doesNotContain("error");
            assertThat(server.output()).as(both).contains("<- k", "-> X09");
        }
    }

    @ParameterizedTest(name = "target.xml {0}")
    @ValueSource(booleans = {true, false})
    void remoteViewIsTheCoreFileView(boolean targetXml) throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        String[] commands =
                Arrays.stream(COMMANDS).map(c -> c.replace(" #2", "")).toArray(String[]::new);
        LldbRun local = LldbRun.core(f.program(), f.core(), f.directory(), commands);
        LldbRun remote;
        String serverLog;
        try (CorestubServer server = targetXml
                ? CorestubServer.serve(f, "--debug-protocol")
                : CorestubServer.serve(f, "--debug-protocol", "--no-target-xml")) {
            remote = LldbRun.remote(server.address(), f.directory(), commands);
            serverLog = server.output();
        }
        String both = "\n=== lldb on the core file:\n" + local.describe() + "\n=== lldb through corestub:\n"
                + remote.describe();
        assertThat(remote.output()).as(both).doesNotContain("target create");
        if (!targetXml) {
            assertThat(serverLog).as("lldb read qRegisterInfo").contains("<- qRegisterInfo0");
        }

        assertThat(remote.section("bt"))
                .as("bt" + both)
                .isEqualTo(local.section("bt"))
                .contains("demo`main at demo.c")
                .contains("libc.so.6`__GI_abort");
        assertThat(threads(remote.section("thread list")))
                .as("thread list" + both)
                .isEqualTo(threads(local.section("thread list")));
        assertThat(images(remote.section("image list")))
                .as("image list" + both)
                .isEqualTo(images(local.section("image list")))
                .anyMatch(l -> l.contains("libc.so.6"))
                .anyMatch(l -> l.contains(f.program().toString()));
        for (String c : new String[] {
            "register read", "memory read $sp", "memory read -c 64 &globals_marker", "bt #2", "register read #2"
        }) {
            assertThat(threads(remote.section(c)))
                    .as(c + both)
                    .isEqualTo(threads(local.section(c)))
                    .isNotEmpty();
        }
        assertThat(remote.section("register read")).contains("rflags = ", "fs = ", "rip = ");

        // lldb-16 has no fs_base for a core file; through corestub it is the core's (thread 2 selected)
        long fsBase;
        try (CoreDump core = CoreDump.open(f.core(), CoreOptions.defaults())) {
            fsBase = core.threads().get(1).registers().fsBase();
        }
        assertThat(remote.section("register read fs_base"))
                .as(both)
                .contains(String.format("fs_base = 0x%016x", fsBase));
    }

    /**
     * Thread lines without what a core's threads lack (names, "signal 0" of the threads that did not crash), and
     * without what {@code thread select} shows ({@code * thread #2} then {@code     frame #0: …}): lldb may
     * print it after echoing the next commands.
     */
    private static List<String> threads(String section) {
        List<String> lines = new java.util.ArrayList<>(section.lines().toList());
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("* thread #") && lines.get(i + 1).startsWith("    frame #0: ")) {
                lines.remove(i + 1);
                lines.remove(i);
                i--;
            }
        }
        return lines.stream()
                .map(l -> l.replaceAll(", name = '[^']*'", "").replace(", stop reason = signal 0", ""))
                .collect(Collectors.toList());
    }

    /** Image lines without the vDSO (see the class comment). */
    private static List<String> images(String section) {
        return section.lines()
                .filter(l -> !l.contains("[vdso]"))
                .map(l -> l.replaceFirst("^\\[\\s*\\d+\\] ", ""))
                .sorted()
                .collect(Collectors.toList());
    }
}
