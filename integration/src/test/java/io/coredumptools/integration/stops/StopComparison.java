package io.coredumptools.integration.stops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares, per command, what gdb printed on the live process with what it printed through corestub, against a
 * list of known mismatches (key "SUITE: COMMAND" to the defect observed; only this suite's keys count): {@link #verify()} fails when a command mismatches that is
 * not listed, when a listed one now agrees, or when a listed one was not run, so the list is always the truth.
 *
 * <p>Both sides are {@link #normalise normalised} first: only what differs by construction is rewritten.
 */
final class StopComparison {
    /** Addresses: a kernel core ran with ASLR, the live program under gdb without it; symbol+offset stay. */
    private static final Pattern ADDRESS = Pattern.compile("\\b0x([0-9a-f]{5,16})\\b");

    private static final Pattern VALUE_NUMBER = Pattern.compile("\\$\\d+\\b");
    private static final Pattern THREAD = Pattern.compile(
            "Thread 0x[0-9a-f]+ \\(LWP \\d+\\)|Thread \\d+\\.\\d+|LWP \\d+|Thread \\d+ \"[^\"]*\"|Thread \\d+");
    private static final Pattern PROCESS_ID = Pattern.compile("\\bprocess \\d+\\b");
    private static final Pattern SESSION_END =
            Pattern.compile("^\\[Inferior \\d+ \\(process \\d+\\) (detached|killed)\\]$", Pattern.MULTILINE);
    /** A live gdb prints this for a thread the ptrace shim leaves out of the inferior; it is no stop output. */
    private static final Pattern NEW_THREAD =
            Pattern.compile("^\\[(New Thread|Thread debugging).*$", Pattern.MULTILINE);

    /**
     * corestub's own notes on the console ("corestub: SIGILL (4): ... pc ... in trap_ud2+0xd"): extra lines the live
     * process has no counterpart for; gdb's own output around them must still agree.
     */
    private static final Pattern CORESTUB_NOTE = Pattern.compile("^corestub: .*$", Pattern.MULTILINE);

    private final String suite;
    private final Map<String, String> known;
    private final Map<String, String[]> outcomes = new LinkedHashMap<>();

    StopComparison(String suite, Map<String, String> known) {
        this.suite = suite;
        Map<String, String> mine = new LinkedHashMap<>();
        known.forEach((key, reason) -> {
            if (key.startsWith(suite + ": ")) {
                mine.put(key, reason);
            }
        });
        this.known = mine;
    }

    /**
     * What must agree between the live process and its core: addresses of 5 hex digits or more become
     * {@code 0xADDR} (the core may have run with ASLR; small values such as a bad jump's 0x10 stay), value-history,
     * thread and process numbers are dropped, corestub's own notes are dropped, carriage returns (the live side is on a terminal) and trailing blanks
     * go.
     */
    static String normalise(String section) {
        String text = section.replace("\r", "");
        text = SESSION_END.matcher(text).replaceAll("");
        text = NEW_THREAD.matcher(text).replaceAll("");
        text = CORESTUB_NOTE.matcher(text).replaceAll("");
        text = VALUE_NUMBER.matcher(text).replaceAll(Matcher.quoteReplacement("$N"));
        text = ADDRESS.matcher(text)
                .replaceAll(m -> Long.parseUnsignedLong(m.group(1), 16) >= 0x10000
                        ? "0xADDR"
                        : Matcher.quoteReplacement(m.group()));
        text = THREAD.matcher(text).replaceAll("Thread <id>");
        text = PROCESS_ID.matcher(text).replaceAll("process <pid>");
        return text.lines()
                .map(String::stripTrailing)
                .filter(l -> !l.isEmpty())
                .reduce((a, b) -> a + "\n" + b)
                .orElse("")
                .strip();
    }

    /** Records one command's outcome under the key "SUITE: COMMAND". */
    StopComparison compare(String command, String liveSection, String remoteSection) {
        String key = suite + ": " + command;
        if (outcomes.put(key, new String[] {normalise(liveSection), normalise(remoteSection)}) != null) {
            throw new IllegalArgumentException(suite + " compares " + key + " twice");
        }
        return this;
    }

    /** Whether {@code command} was recorded and agreed. */
    boolean equal(String command) {
        String[] outcome = outcomes.get(suite + ": " + command);
        return outcome != null && outcome[0].equals(outcome[1]);
    }

    /** The live side of {@code command}, normalised, for checks of the ground truth itself. */
    String live(String command) {
        return outcomes.get(suite + ": " + command)[0];
    }

    /** Fails unless exactly the listed keys (among those recorded by this suite) mismatch. */
    void verify() {
        List<String> problems = new ArrayList<>();
        int equal = 0;
        for (Map.Entry<String, String[]> e : outcomes.entrySet()) {
            boolean same = e.getValue()[0].equals(e.getValue()[1]);
            boolean listed = known.containsKey(e.getKey());
            if (same) {
                equal++;
            }
            if (same && listed) {
                problems.add("NOW EQUAL (remove it from the known failures): " + e.getKey() + " [listed: "
                        + known.get(e.getKey()) + "]\n--- both print:\n" + e.getValue()[0]);
            } else if (!same && !listed) {
                problems.add("NEW MISMATCH " + e.getKey() + "\n--- live gdb:\n" + e.getValue()[0]
                        + "\n--- through corestub:\n" + e.getValue()[1]);
            }
        }
        TreeSet<String> notRun = new TreeSet<>(known.keySet());
        notRun.removeAll(outcomes.keySet());
        notRun.forEach(k -> problems.add("LISTED BUT NOT RUN: " + k));
        System.out.printf(
                "differential %s: %d commands, %d equal, %d known mismatches%n",
                suite, outcomes.size(), equal, outcomes.size() - equal);
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    suite + ": the mismatches are not the known ones\n\n" + String.join("\n\n", problems));
        }
    }
}
