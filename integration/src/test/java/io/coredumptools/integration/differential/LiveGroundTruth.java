package io.coredumptools.integration.differential;

import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Gdb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Ground truth: the real gdb on the live program, stopped where its core was taken, running a {@link GdbScript}.
 * gdb and the program run on a pseudo-terminal ({@link io.coredumptools.testkit.GdbInvocation#withTerminal()}), as
 * for a user at a terminal: the program's stdio is line-buffered, so what a call prints appears in gdb's console,
 * and gdb's errors stay in order with its other output (gdb through corestub is read the same way, merged).
 */
final class LiveGroundTruth {
    /** Generous: a loaded machine; no assertion depends on it. */
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private LiveGroundTruth() {}

    /**
     * The fixture's program stopped as its core was: after its stop commands, or at its own SIGABRT for the
     * fixtures that abort by themselves.
     */
    static GdbTranscript at(CoreFixture fixture, GdbScript script) {
        List<String> stop = fixture.fixture().stopCommands().isEmpty()
                ? List.of("run")
                : fixture.fixture().stopCommands();
        return run(fixture.program(), fixture.fixture().programArguments(), stop, script);
    }

    /** Any program (e.g. /usr/bin/python3 with its arguments), stopped by {@code stopCommands}. */
    static GdbTranscript run(Path program, List<String> arguments, List<String> stopCommands, GdbScript script) {
        List<String> commands = new ArrayList<>(script.settings());
        commands.addAll(stopCommands);
        commands.addAll(GdbTranscript.withMarkers(script.commands(), null));
        CommandResult result = Gdb.withTimeout(TIMEOUT)
                .withTerminal()
                .withProgramArguments(arguments.toArray(String[]::new))
                .runOnLiveProcess(program, commands);
        GdbTranscript transcript = GdbTranscript.of(result.stdout());
        if (transcript.sectionCount() != script.commands().size()) {
            throw new AssertionError(
                    "live gdb did not run all " + script.commands().size() + " commands of " + script.name()
                            + " (ground truth missing)\n" + result.describe());
        }
        return transcript;
    }
}
