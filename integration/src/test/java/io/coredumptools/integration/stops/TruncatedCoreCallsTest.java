package io.coredumptools.integration.stops;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9, acceptance: demo.c's kernel core cut to 30%, 60% and 90% of its size. Its segments are in address order,
 * so every cut keeps the executable's data and the heap (the list, *gp) and loses libc's data and the main thread's
 * stack: calls whose code and data are present work (gdb writes the dummy frame onto fresh pages where the stack was
 * cut) and print the live process's values; a read of the missing stack (before the calls, and above what they
 * wrote) fails and names the truncation, and gdb's console says at connect that the core is truncated.
 */
class TruncatedCoreCallsTest {
    private static final List<String> SETTINGS = List.of("set width 0", "set confirm off");
    private static final List<String> CALLS =
            List.of("print next_id()", "print point_sum(gp)", "print list_sum(list_head)", "print *gp");

    /** Checks that fail today on every cut, to the defect observed. */
    static final Map<String, String> KNOWN_FAILURES = Map.of(
            "x/2xg $sp names the truncation",
            "issue 9: gdb prints only 'Cannot access memory at address 0x7ffd...': corestub's reply to the read"
                    + " carries no reason gdb shows",
            "x/2xg $sp+8192 names the truncation",
            "issue 9: as for x/2xg $sp: the read fails, rightly, but without naming the truncation");

    private static CoreFixture demo;
    private static GdbTranscript live;

    @BeforeAll
    static void groundTruth() {
        demo = Fixtures.get(Fixture.DEMO_PIE);
        live = StopSessions.live(demo, SETTINGS, CALLS);
    }

    @ParameterizedTest(name = "cut to {0}%")
    @ValueSource(ints = {30, 60, 90})
    void callsWhoseCodeAndDataArePresentWorkAndAMissingReadNamesTheTruncation(int percent, @TempDir Path directory)
            throws IOException {
        Path core = demo.copyOfCore(directory);
        core.toFile().setWritable(true);
        long size = Files.size(core);
        try (FileChannel channel = FileChannel.open(core, StandardOpenOption.WRITE)) {
            channel.truncate(size * percent / 100);
        }
        // A read of the cut stack before any call, the calls, then a read of the stack above what gdb wrote.
        List<String> commands = new ArrayList<>(List.of("x/2xg $sp"));
        commands.addAll(CALLS);
        commands.add("x/2xg $sp+8192");
        GdbTranscript remote;
        try (CorestubServer server = CorestubServer.start(List.of(
                "serve",
                "--listen",
                "127.0.0.1:0",
                core.toString(),
                "--exe",
                demo.program().toString()))) {
            remote = StopSessions.remote(server, demo, SETTINGS, commands);
        }
        String both = "\n=== live:\n" + live.describe() + "\n=== through corestub:\n" + remote.describe();
        for (int i = 0; i < CALLS.size(); i++) {
            assertThat(remote.hasValue(i + 1)).as(CALLS.get(i) + both).isTrue();
            assertThat(remote.value(i + 1)).as(CALLS.get(i) + both).isEqualTo(live.value(i));
        }
        Set<String> failing = new TreeSet<>();
        for (int section : List.of(0, CALLS.size() + 1)) {
            String read = remote.section(section);
            // The bytes the core lacks stay unreadable (never zeros), whatever the message says.
            assertThat(read).as(commands.get(section) + both).contains("Cannot access memory");
            if (!read.toLowerCase(Locale.ROOT).contains("truncated")) {
                failing.add(commands.get(section) + " names the truncation");
            }
        }
        String connect = remote.text().substring(0, remote.text().indexOf(GdbTranscript.marker(0)));
        if (!connect.toLowerCase(Locale.ROOT).contains("truncated")) {
            failing.add("gdb's console says at connect that the core is truncated");
        }
        assertThat(failing)
                .as("the checks that fail are the known ones (a fix shortens KNOWN_FAILURES)" + both)
                .containsExactlyElementsOf(new TreeSet<>(KNOWN_FAILURES.keySet()));
    }
}
