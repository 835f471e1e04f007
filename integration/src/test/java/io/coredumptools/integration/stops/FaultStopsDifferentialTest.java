package io.coredumptools.integration.stops;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 9, acceptance: a call that faults (SIGSEGV from a NULL read, a write to read-only memory and a bad jump,
 * SIGFPE, SIGILL, abort()) stops where the live process stops: {@code x/i $pc}, {@code info registers rip} and
 * {@code bt} through corestub equal live gdb's on faults.c stopped at its own abort; then {@code return}, and the
 * next call works. On the kernel core and on a gcore core of the same program.
 */
class FaultStopsDifferentialTest {
    private static final List<String> SETTINGS = List.of("set confirm off", "set pagination off", "set width 0");

    /** Rows that mismatch today, "FIXTURE CALL: COMMAND" to the defect observed. */
    static final Map<String, String> KNOWN_FAILURES = Map.of();

    private static final Map<Fixture, CorestubServer> SERVERS = new EnumMap<>(Fixture.class);

    @AfterAll
    static void stopServers() {
        SERVERS.values().forEach(CorestubServer::close);
    }

    private static synchronized CorestubServer server(CoreFixture fixture) {
        return SERVERS.computeIfAbsent(fixture.fixture(), f -> CorestubServer.serve(fixture));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "FAULTS; segv_func(0); SIGSEGV; segv_func",
                "FAULTS; write_read_only(65); SIGSEGV; write_read_only",
                "FAULTS; bad_jump(16); SIGSEGV; ??",
                "FAULTS; divide(1, 0); SIGFPE; divide",
                "FAULTS; trap_ud2(1); SIGILL; trap_ud2",
                "FAULTS; abort_in_call(1); SIGABRT; abort_in_call",
                "FAULTS_GCORE; segv_func(0); SIGSEGV; segv_func",
                "FAULTS_GCORE; write_read_only(65); SIGSEGV; write_read_only",
                "FAULTS_GCORE; bad_jump(16); SIGSEGV; ??",
                "FAULTS_GCORE; divide(1, 0); SIGFPE; divide",
                "FAULTS_GCORE; trap_ud2(1); SIGILL; trap_ud2",
                "FAULTS_GCORE; abort_in_call(1); SIGABRT; abort_in_call",
            })
    void aFaultInACallStopsWhereTheLiveProcessStopsAndReturnThenACallWork(
            Fixture fixture, String call, String signal, String faultingFunction) {
        CoreFixture core = Fixtures.get(fixture);
        List<String> commands =
                List.of("print " + call, "x/i $pc", "info registers rip", "bt", "return", "print next_id()");
        GdbTranscript live = StopSessions.live(core, SETTINGS, commands);
        GdbTranscript remote = StopSessions.remote(server(core), core, SETTINGS, commands);

        // The ground truth itself: the fault is where this test says it is, so the comparison is meaningful.
        assertThat(live.section(0)).as(live.describe()).contains("received signal " + signal);
        assertThat(GdbTranscript.of(live.section(3)).text())
                .as(live.describe())
                .contains(faultingFunction.equals("??") ? "in ?? ()" : faultingFunction + " (")
                .contains("<function called from gdb>");
        assertThat(live.section(1)).as(live.describe()).contains("=> 0x");
        assertThat(live.section(2)).as(live.describe()).startsWith("rip");
        if (!faultingFunction.equals("??")) {
            assertThat(live.section(1) + live.section(2))
                    .as("x/i $pc and rip are in " + faultingFunction + ", or in libc for abort()\n" + live.describe())
                    .contains(
                            signal.equals("SIGABRT")
                                    ? "<__pthread_kill_implementation+"
                                    : "<" + faultingFunction + "+");
        }
        assertThat(live.value(5)).as(live.describe()).isEqualTo("42");
        if (signal.equals("SIGILL")) {
            // corestub's note: the program's own ud2, not an instruction the emulator lacks.
            assertThat(remote.section(0))
                    .as(remote.describe())
                    .contains("ud2 at pc")
                    .doesNotContain("not supported");
        }

        StopComparison comparison = new StopComparison(fixture + " " + call, KNOWN_FAILURES);
        for (int i = 0; i < commands.size(); i++) {
            comparison.compare(commands.get(i), live.section(i), remote.section(i));
        }
        comparison.verify();
    }
}
