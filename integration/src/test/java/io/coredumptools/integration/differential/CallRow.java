package io.coredumptools.integration.differential;

import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CoreFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One row of a table test: {@link RowStep steps} in one fresh gdb session through corestub (one connection, so its
 * own base), each checked against the live answers. A row listed among the known failures must fail (with the
 * listed reason printed) and any other must pass, so a fix flips the row and the list has to shrink.
 */
record CallRow(String name, List<String> settings, List<RowStep> steps) {

    /** Runs the row on {@code server} and checks it against {@code live} and the known failures. */
    void check(CorestubServer server, CoreFixture core, Map<String, String> live, Map<String, String> knownFailures) {
        List<String> commands = steps.stream().map(RowStep::command).toList();
        GdbTranscript transcript =
                ThroughCorestub.run(server, core.program(), core.directory(), new GdbScript(name, settings, commands));
        TranscriptNormaliser normaliser = new TranscriptNormaliser();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            RowStep step = steps.get(i);
            String remote = normaliser.normalise(transcript.section(i));
            String liveAnswer = null;
            if (step.liveAnswer() != null) {
                liveAnswer = live.get(step.liveAnswer());
                if (liveAnswer == null) {
                    throw new IllegalArgumentException("no live answer " + step.liveAnswer() + " in " + live.keySet());
                }
            }
            String mismatch = step.mismatch(remote, liveAnswer);
            if (mismatch != null) {
                problems.add("'" + step.command() + "': " + mismatch + "\n--- through corestub:\n" + remote);
            }
        }
        String known = knownFailures.get(name);
        if (problems.isEmpty() && known != null) {
            throw new AssertionError(
                    "row '" + name + "' now passes: remove it from the known failures (listed: " + known + ")");
        }
        if (!problems.isEmpty() && known == null) {
            throw new AssertionError("row '" + name + "' fails:\n" + String.join("\n\n", problems)
                    + "\n\n=== whole session through corestub:\n" + transcript.describe());
        }
        System.out.printf(
                "differential row %s: %s%n", name, problems.isEmpty() ? "passes" : "known failure (" + known + ")");
        if (!problems.isEmpty()) {
            // For whoever fixes it: what it prints today.
            System.out.println("  today: " + problems.get(0).replace("\n", "\n  "));
        }
    }
}
