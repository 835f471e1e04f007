package io.coredumptools.integration.stops;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbOutput;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9, acceptance: cores taken at SIGBUS, SIGILL, SIGSYS (kernel cores) and SIGSTOP, SIGUSR1, a real-time
 * signal (gcore cores) look through corestub as they look to gdb on the core file: {@code info program} names the
 * signal gdb's stop line names for the core file, and the stop frame and siginfo are the same. corestub sends gdb's own signal numbers, so gdb names the signal as
 * it does for the core (Linux numbers on the wire would show SIGBUS as SIGEMT, SIGSTOP as SIGCONT).
 */
class SignalCoresDifferentialTest {
    /** The stop line of gdb on a core file: "Program terminated with signal SIGBUS, Bus error." */
    private static final Pattern CORE_STOP_LINE =
            Pattern.compile("^Program terminated with signal (.*)\\.$", Pattern.MULTILINE);
    /** The same through a remote target, in {@code info program}: "It stopped with signal SIGBUS, Bus error." */
    private static final Pattern REMOTE_STOP_LINE =
            Pattern.compile("^It stopped with signal (.*)\\.$", Pattern.MULTILINE);

    private static final List<String> COMMANDS = List.of("frame", "p $_siginfo.si_signo");

    /** Rows that mismatch today, "FIXTURE: COMMAND" to the defect observed. */
    static final Map<String, String> KNOWN_FAILURES = Map.of();

    @ParameterizedTest
    @EnumSource(
            value = Fixture.class,
            names = {"STOPS_SIGBUS", "STOPS_SIGILL", "STOPS_SIGSYS", "STOPS_SIGSTOP", "STOPS_SIGUSR1", "STOPS_SIGRT"})
    void theStopSignalAndFrameMatchGdbOnTheCoreFile(Fixture fixture) {
        CoreFixture core = Fixtures.get(fixture);
        GdbTranscript onCore = GdbTranscript.onCore(core, COMMANDS.toArray(String[]::new));
        List<String> remoteCommands = new ArrayList<>(List.of("info program"));
        remoteCommands.addAll(COMMANDS);
        GdbTranscript remote;
        try (CorestubServer server = CorestubServer.serve(core)) {
            remote = StopSessions.remote(server, core, List.of(), remoteCommands);
        }
        assertThat(onCore.value(1))
                .as(onCore.describe())
                .isEqualTo(Integer.toString(fixture.coreSignal().linuxNumber()));
        Matcher coreStop = CORE_STOP_LINE.matcher(onCore.text());
        assertThat(coreStop.find()).as(onCore.describe()).isTrue();
        // gdb 13 names a core's real-time signal 36 "SIG38"; on the live process it says SIG36, the truth.
        String expected = fixture == Fixture.STOPS_SIGRT ? "SIG36, Real-time event 36" : coreStop.group(1);
        assertThat(expected).startsWith(fixture.coreSignal().gdbName() + ", ");
        Matcher remoteStop = REMOTE_STOP_LINE.matcher(remote.section(0));

        StopComparison comparison = new StopComparison(fixture.name(), KNOWN_FAILURES);
        comparison.compare("info program", expected, remoteStop.find() ? remoteStop.group(1) : remote.section(0));
        for (int i = 0; i < COMMANDS.size(); i++) {
            comparison.compare(COMMANDS.get(i), onCore.section(i), remote.section(i + 1));
        }
        comparison.verify();
    }

    /**
     * A system call the emulator does not carry out (open) stops the call with SIGSYS, named as gdb names it (a
     * Linux 31 on the wire would print as SIGUSR2), and the next call works.
     */
    @Test
    void anUnsupportedSystemCallStopsWithSigsys() {
        CoreFixture core = Fixtures.get(Fixture.FAULTS);
        GdbTranscript remote;
        try (CorestubServer server = CorestubServer.serve(core)) {
            remote = StopSessions.remote(
                    server,
                    core,
                    List.of(),
                    List.of("print unsupported_while_busy()", "p $_siginfo.si_signo", "bt 1", "print add3(4)"));
        }
        assertThat(remote.section(0))
                .as(remote.describe())
                .contains("received signal SIGSYS, Bad system call.")
                .contains("The program being debugged was signaled while in a function called from GDB.");
        assertThat(remote.value(1)).as(remote.describe()).isEqualTo("31");
        assertThat(GdbOutput.functions(remote.section(2)))
                .as(remote.describe())
                .isNotEmpty()
                .doesNotContain("unsupported_while_busy");
        assertThat(remote.value(3)).as(remote.describe()).isEqualTo("7");
    }
}
