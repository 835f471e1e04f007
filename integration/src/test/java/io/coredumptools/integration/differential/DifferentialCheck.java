package io.coredumptools.integration.differential;

import io.coredumptools.integration.gdb.GdbTranscript;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares, command by command, what gdb printed on the live process with what it printed through corestub on one
 * core (one or more {@link GdbScript sessions}), against the {@link KnownMismatches known mismatches}: {@link
 * #verify()} fails when a command mismatches that is not listed, or when a listed one now agrees. It prints one
 * summary line per core: commands compared, equal, known mismatches, excluded.
 */
final class DifferentialCheck {
    private final String suite;
    private final String core;
    private final Map<String, String> known;
    private final List<Exclusion> exclusions;
    private final Map<String, Outcome> outcomes = new LinkedHashMap<>();

    private record Outcome(String live, String remote) {
        boolean equal() {
            return live.equals(remote);
        }
    }

    /**
     * @param core the kind of core, as the known mismatches name it ("kernel", "gcore", "per-call"...)
     */
    DifferentialCheck(String suite, String core, KnownMismatches known, List<Exclusion> exclusions) {
        this.suite = suite;
        this.core = core;
        this.known = known.forCore(core);
        this.exclusions = List.copyOf(exclusions);
    }

    /** Records the outcome of every command of {@code script}; keys are "SCRIPT: COMMAND". */
    DifferentialCheck compare(GdbScript script, GdbTranscript live, GdbTranscript remote) {
        TranscriptNormaliser liveNormaliser = new TranscriptNormaliser();
        TranscriptNormaliser remoteNormaliser = new TranscriptNormaliser();
        List<String> keys = script.keys();
        for (int i = 0; i < keys.size(); i++) {
            String key = script.name() + ": " + keys.get(i);
            Outcome outcome = new Outcome(
                    liveNormaliser.normalise(live.section(i)),
                    remoteNormaliser.normalise(
                            remote.section(script.remotePrelude().size() + i)));
            if (outcomes.put(key, outcome) != null) {
                throw new IllegalArgumentException("two scripts of " + suite + " share the key " + key);
            }
        }
        return this;
    }

    /** Records one outcome compared by the caller's own means (e.g. a {@code corestub call} line). */
    DifferentialCheck compare(String key, String live, String remote) {
        if (outcomes.put(key, new Outcome(live, remote)) != null) {
            throw new IllegalArgumentException(suite + " compares " + key + " twice");
        }
        return this;
    }

    /** What command {@code key} printed live, normalised, for tests that also check the ground truth itself. */
    String live(String key) {
        Outcome outcome = outcomes.get(key);
        if (outcome == null) {
            throw new IllegalArgumentException("no command " + key + " in " + outcomes.keySet());
        }
        return outcome.live();
    }

    /** Prints the summary line and fails unless the mismatches are exactly the known ones. */
    void verify() {
        List<String> unexpected = new ArrayList<>();
        List<String> nowEqual = new ArrayList<>();
        int equal = 0;
        for (Map.Entry<String, Outcome> entry : outcomes.entrySet()) {
            boolean listed = known.containsKey(entry.getKey());
            if (entry.getValue().equal()) {
                equal++;
                if (listed) {
                    nowEqual.add(entry.getKey());
                }
            } else if (!listed) {
                unexpected.add(entry.getKey());
            }
        }
        TreeSet<String> notRun = new TreeSet<>(known.keySet());
        notRun.removeAll(outcomes.keySet());
        int excluded = exclusions.stream().mapToInt(Exclusion::commands).sum();
        int mismatched = outcomes.size() - equal;
        System.out.printf(
                "differential %s [%s core]: %d commands, %d equal, %d known mismatches, %d excluded%n",
                suite, core, outcomes.size(), equal, mismatched - unexpected.size(), excluded);
        if (unexpected.isEmpty() && nowEqual.isEmpty() && notRun.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder(suite + " [" + core + " core]: the mismatches are not the known"
                + " ones (update the known list only when that is the truth: a fix shortens it)\n");
        for (String key : unexpected) {
            Outcome outcome = outcomes.get(key);
            message.append("\nNEW MISMATCH ")
                    .append(key)
                    .append("\n--- live gdb:\n")
                    .append(outcome.live())
                    .append("\n--- through corestub:\n")
                    .append(outcome.remote())
                    .append('\n');
        }
        for (String key : nowEqual) {
            message.append("\nNOW EQUAL (remove it from the known mismatches): ")
                    .append(key)
                    .append("  [listed: ")
                    .append(known.get(key))
                    .append("]\n--- both print:\n")
                    .append(outcomes.get(key).live())
                    .append('\n');
        }
        for (String key : notRun) {
            message.append("\nLISTED BUT NOT RUN (stale entry): ").append(key).append('\n');
        }
        message.append("\nEvery mismatch today, as entries:\n");
        outcomes.forEach((key, outcome) -> {
            if (!outcome.equal()) {
                message.append("        .on(\"")
                        .append(core)
                        .append("\", \"")
                        .append(key.replace("\\", "\\\\").replace("\"", "\\\""))
                        .append("\", \"")
                        .append(known.getOrDefault(key, "TODO: the defect observed"))
                        .append("\")\n");
            }
        });
        throw new AssertionError(message.toString());
    }
}
