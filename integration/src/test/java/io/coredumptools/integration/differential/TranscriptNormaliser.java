package io.coredumptools.integration.differential;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reduces what gdb printed for one command to what must agree between the live process and its core, for one
 * transcript (commands in order). Only what differs by construction is rewritten:
 * <ul>
 *   <li>value history numbers ({@code $12 = } becomes {@code $N = }): a command that fails on one side and not the
 *       other shifts every later number;
 *   <li>breakpoint numbers, renumbered by first appearance: live gdb used some to reach the stop point;
 *   <li>thread target ids and process ids: the core is another process ({@code Thread 0x7f.. (LWP 5)} and
 *       {@code Thread 5.6} both become {@code Thread <id>});
 *   <li>gdb's own line at the end of a session ({@code [Inferior 1 (process N) detached]} / killed);
 *   <li>carriage returns (the live side runs on a terminal) and trailing blanks.
 * </ul>
 * Values, addresses, source lines, signals and messages are kept verbatim.
 */
final class TranscriptNormaliser {
    private static final Pattern VALUE_NUMBER = Pattern.compile("\\$\\d+\\b");
    private static final Pattern BREAKPOINT_NUMBER = Pattern.compile("\\b([Bb]reakpoint) (\\d+)\\b");
    private static final Pattern THREAD_ID =
            Pattern.compile("Thread 0x[0-9a-f]+ \\(LWP \\d+\\)|Thread \\d+\\.\\d+|LWP \\d+");
    private static final Pattern PROCESS_ID = Pattern.compile("\\bprocess \\d+\\b");
    private static final Pattern SESSION_END =
            Pattern.compile("^\\[Inferior \\d+ \\(process \\d+\\) (detached|killed)\\]$", Pattern.MULTILINE);

    private final Map<String, Integer> breakpoints = new HashMap<>();

    /** Call for the sections of one transcript in order (breakpoints are renumbered across them). */
    String normalise(String section) {
        String text = section.replace("\r", "");
        text = SESSION_END.matcher(text).replaceAll("");
        text = VALUE_NUMBER.matcher(text).replaceAll(Matcher.quoteReplacement("$N"));
        Matcher breakpoint = BREAKPOINT_NUMBER.matcher(text);
        StringBuilder renumbered = new StringBuilder();
        while (breakpoint.find()) {
            int number = breakpoints.computeIfAbsent(breakpoint.group(2), n -> breakpoints.size() + 1);
            breakpoint.appendReplacement(renumbered, breakpoint.group(1) + " #" + number);
        }
        breakpoint.appendTail(renumbered);
        text = THREAD_ID.matcher(renumbered).replaceAll("Thread <id>");
        text = PROCESS_ID.matcher(text).replaceAll("process <pid>");
        return text.lines()
                .map(String::stripTrailing)
                .reduce((a, b) -> a + "\n" + b)
                .orElse("")
                .strip();
    }
}
