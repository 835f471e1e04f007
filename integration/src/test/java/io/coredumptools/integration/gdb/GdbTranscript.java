package io.coredumptools.integration.gdb;

import io.coredumptools.testkit.CoreFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one gdb run printed, cut per command: before command {@code i} gdb echoes {@link #marker(int)} on a line
 * of its own, so {@link #section(int)} is exactly what command {@code i} printed (errors included when stderr
 * was merged).
 */
public final class GdbTranscript {
    private static final Pattern MARKER = Pattern.compile("^@@cmd (\\d+)@@$", Pattern.MULTILINE);
    private static final Pattern VALUE = Pattern.compile("^\\$\\d+ = (.*)$", Pattern.MULTILINE);

    private final List<String> command;
    private final int exitCode;
    private final String text;
    private final List<String> sections = new ArrayList<>();

    public GdbTranscript(List<String> command, int exitCode, String text) {
        this.command = List.copyOf(command);
        this.exitCode = exitCode;
        this.text = text;
        Matcher m = MARKER.matcher(text);
        int start = -1;
        while (m.find()) {
            if (start >= 0) {
                sections.add(text.substring(start, m.start()));
            }
            if (Integer.parseInt(m.group(1)) != sections.size()) {
                throw new IllegalStateException("marker out of order: " + m.group() + "\n" + text);
            }
            start = m.end() + 1 <= text.length() ? m.end() + 1 : m.end();
        }
        if (start >= 0) {
            sections.add(text.substring(Math.min(start, text.length())));
        }
    }

    /** A transcript of stdout from the testkit's own gdb helpers, run with {@link #withMarkers}. */
    public static GdbTranscript of(String text) {
        return new GdbTranscript(List.of("(testkit gdb)"), 0, text);
    }

    /** Ground truth: the commands run by the testkit's gdb on the fixture's core file, cut per command. */
    public static GdbTranscript onCore(CoreFixture fixture, String... commands) {
        return of(fixture.gdb(withMarkers(commands)));
    }

    public static String marker(int index) {
        return "@@cmd " + index + "@@";
    }

    /**
     * The commands, each preceded by an {@code echo} of its marker; with {@code option} ("-ex") before each
     * element for a gdb command line, or without (null) for the testkit's helpers, which add it themselves.
     */
    public static List<String> withMarkers(List<String> commands, String option) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            for (String c : List.of("echo " + marker(i) + "\\n", commands.get(i))) {
                if (option != null) {
                    out.add(option);
                }
                out.add(c);
            }
        }
        return out;
    }

    public static String[] withMarkers(String... commands) {
        return withMarkers(List.of(commands), null).toArray(String[]::new);
    }

    /** What command {@code index} printed; fails the test if gdb never got there. */
    public String section(int index) {
        if (index >= sections.size()) {
            throw new AssertionError("gdb did not reach command " + index + "\n" + describe());
        }
        return sections.get(index);
    }

    /** The value part of the last {@code $N = VALUE} line of command {@code index}. */
    public String value(int index) {
        String section = section(index);
        Matcher m = VALUE.matcher(section);
        String value = null;
        while (m.find()) {
            value = m.group(1);
        }
        if (value == null) {
            throw new AssertionError(
                    "command " + index + " printed no value:\n" + section + "\n--- whole run:\n" + describe());
        }
        return value;
    }

    /** Whether command {@code index} printed a {@code $N = VALUE} line. */
    public boolean hasValue(int index) {
        return VALUE.matcher(section(index)).find();
    }

    public int sectionCount() {
        return sections.size();
    }

    public String text() {
        return text;
    }

    public int exitCode() {
        return exitCode;
    }

    public String describe() {
        return "command: " + String.join(" ", command) + "\nexit code: " + exitCode + "\noutput:\n" + text;
    }

    @Override
    public String toString() {
        return describe();
    }
}
