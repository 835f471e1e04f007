package io.coredumptools.integration.stops;

import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbProcess;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Gdb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One gdb session at a fixture's stop point, either on the live program (ground truth: testkit's gdb with the
 * LivePtrace shim, on a terminal as a user's) or through {@code corestub serve} on its core; the transcript is cut
 * per command. {@code settings} run first on both sides and are not part of the transcript.
 */
final class StopSessions {
    /** Generous: calls are emulated and the machine may be loaded; no assertion depends on it. */
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private StopSessions() {}

    /** gdb on the live program, stopped as its core was (after its stop commands, or at its own abort). */
    static GdbTranscript live(CoreFixture fixture, List<String> settings, List<String> commands) {
        List<String> all = new ArrayList<>(settings);
        all.addAll(
                fixture.fixture().stopCommands().isEmpty()
                        ? List.of("run")
                        : fixture.fixture().stopCommands());
        all.addAll(GdbTranscript.withMarkers(commands, null));
        CommandResult result = Gdb.withTimeout(TIMEOUT)
                .withTerminal()
                .withProgramArguments(fixture.fixture().programArguments().toArray(String[]::new))
                .runOnLiveProcess(fixture.program(), all);
        GdbTranscript transcript = GdbTranscript.of(result.stdout());
        if (transcript.sectionCount() != commands.size()) {
            throw new AssertionError("live gdb did not run all " + commands.size() + " commands " + commands
                    + " (ground truth missing)\n" + result.describe());
        }
        return transcript;
    }

    /** gdb through corestub on the fixture's core, one connection. */
    static GdbTranscript remote(
            CorestubServer server, CoreFixture fixture, List<String> settings, List<String> commands) {
        List<String> setup = new ArrayList<>(List.of("set remotetimeout 60"));
        setup.addAll(settings);
        GdbTranscript transcript = GdbProcess.connectedTo(server)
                .program(fixture.program())
                .directory(fixture.directory())
                .setup(setup.toArray(String[]::new))
                .timeout(TIMEOUT)
                .run(commands.toArray(String[]::new));
        if (transcript.sectionCount() != commands.size()) {
            throw new AssertionError("gdb through corestub did not run all " + commands.size() + " commands " + commands
                    + "\n" + transcript.describe() + "\n" + server.describe());
        }
        if (!server.isAlive()) {
            throw new AssertionError("corestub died during " + commands + "\n" + server.describe());
        }
        return transcript;
    }
}
