package io.coredumptools.integration.differential;

import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbProcess;
import io.coredumptools.integration.gdb.GdbTranscript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The real gdb through {@code corestub serve} ({@code target remote}), running a {@link GdbScript} in one session:
 * one connection, so one base and one restore mode for the whole script. The transcript's sections are the
 * prelude's, then the commands'; a prelude command that corestub refuses fails the test.
 */
final class ThroughCorestub {
    /** Generous: calls are emulated and the machine may be loaded; no assertion depends on it. */
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    /** How a refused monitor command shows: corestub's own error text, or gdb's for an E reply. */
    private static final Pattern PRELUDE_ERROR = Pattern.compile(
            "unknown|is one of|must be|takes|Protocol error|not supported|error", Pattern.CASE_INSENSITIVE);

    private ThroughCorestub() {}

    static GdbTranscript run(CorestubServer server, Path program, Path directory, GdbScript script) {
        List<String> setup = new ArrayList<>(List.of("set remotetimeout 60"));
        setup.addAll(script.settings());
        List<String> all = new ArrayList<>(script.remotePrelude());
        all.addAll(script.commands());
        GdbTranscript transcript = GdbProcess.connectedTo(server)
                .program(program)
                .directory(directory)
                .setup(setup.toArray(String[]::new))
                .timeout(TIMEOUT)
                .run(all.toArray(String[]::new));
        if (transcript.sectionCount() != all.size()) {
            throw new AssertionError("gdb through corestub did not run all " + all.size() + " commands of "
                    + script.name() + "\n" + transcript.describe() + "\n" + server.describe());
        }
        for (int i = 0; i < script.remotePrelude().size(); i++) {
            String printed = transcript.section(i);
            if (PRELUDE_ERROR.matcher(printed).find()) {
                throw new AssertionError(
                        "corestub refused '" + script.remotePrelude().get(i) + "' in " + script.name() + ": "
                                + printed.strip() + "\n" + transcript.describe());
            }
        }
        if (!server.isAlive()) {
            throw new AssertionError("corestub died during " + script.name() + "\n" + server.describe());
        }
        return transcript;
    }
}
