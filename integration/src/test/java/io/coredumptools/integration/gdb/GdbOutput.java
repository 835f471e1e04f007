package io.coredumptools.integration.gdb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for gdb's CLI output, reducing it to what must agree between gdb on a core file and gdb through
 * corestub: only the decoration that legitimately differs (thread naming, the {@code target:} prefix) is
 * dropped; every value and frame is kept verbatim.
 */
public final class GdbOutput {
    private static final Pattern FRAME = Pattern.compile("^#\\d+\\s+.*$", Pattern.MULTILINE);
    private static final Pattern THREAD_ROW = Pattern.compile("^([* ]) +(\\d+) +(.*)$", Pattern.MULTILINE);
    /** "Thread 0x7f.. (LWP n)" (libthread_db), "Thread p.n" (remote, multiprocess), "LWP n", "Thread n". */
    private static final Pattern TARGET_ID = Pattern.compile(
            "^(?:Thread 0x[0-9a-f]+ \\(LWP (\\d+)\\)|Thread \\d+\\.(\\d+)|LWP (\\d+)|Thread (\\d+))(?: \"[^\"]*\")?\\s+(.*)$");

    private static final Pattern LIBRARY =
            Pattern.compile("^(0x[0-9a-f]+)\\s+(0x[0-9a-f]+)\\s+(Yes(?: \\(\\*\\))?|No)\\s+(\\S+)$", Pattern.MULTILINE);
    private static final Pattern REGISTER =
            Pattern.compile("^([a-z][a-z0-9_]*)\\s+(\\S+)[ \\t]*(.*?)\\s*$", Pattern.MULTILINE);
    private static final Pattern MEMORY_ROW = Pattern.compile("^0x[0-9a-f]+(?: <[^>]*>)?:\\s.*$", Pattern.MULTILINE);
    private static final Pattern FUNCTION = Pattern.compile("^#\\d+\\s+(?:0x[0-9a-f]+ in )?(\\S+) ");

    private GdbOutput() {}

    /** The backtrace lines ({@code #N ...}), verbatim. */
    public static List<String> frames(String text) {
        List<String> frames = new ArrayList<>();
        Matcher m = FRAME.matcher(text);
        while (m.find()) {
            frames.add(m.group().stripTrailing());
        }
        return frames;
    }

    /** The function of each backtrace line, e.g. {@code main} or {@code <function called from gdb>}. */
    public static List<String> functions(String text) {
        List<String> names = new ArrayList<>();
        for (String frame : frames(text)) {
            if (frame.contains("<function called from gdb>")) {
                names.add("<function called from gdb>");
                continue;
            }
            Matcher m = FUNCTION.matcher(frame + " ");
            names.add(m.find() ? m.group(1) : frame);
        }
        return names;
    }

    /** One row of {@code info threads}, without the target id decoration. */
    public record ThreadRow(boolean current, int id, long lwp, String frame) {}

    public static List<ThreadRow> threads(String text) {
        List<ThreadRow> rows = new ArrayList<>();
        Matcher m = THREAD_ROW.matcher(text);
        while (m.find()) {
            Matcher id = TARGET_ID.matcher(m.group(3));
            if (!id.matches()) {
                throw new AssertionError("unrecognised thread row: " + m.group());
            }
            String lwp = id.group(1) != null
                    ? id.group(1)
                    : id.group(2) != null ? id.group(2) : id.group(3) != null ? id.group(3) : id.group(4);
            rows.add(new ThreadRow(
                    m.group(1).equals("*"),
                    Integer.parseInt(m.group(2)),
                    Long.parseLong(lwp),
                    id.group(5).stripTrailing()));
        }
        return rows;
    }

    /** One row of {@code info sharedlibrary}; the path without gdb's {@code target:} prefix. */
    public record Library(String from, String to, String symbolsRead, String path) {}

    public static List<Library> libraries(String text) {
        List<Library> rows = new ArrayList<>();
        Matcher m = LIBRARY.matcher(text);
        while (m.find()) {
            rows.add(new Library(m.group(1), m.group(2), m.group(3), m.group(4)));
        }
        return rows;
    }

    public static Library withoutTargetPrefix(Library library) {
        String path =
                library.path().startsWith("target:") ? library.path().substring("target:".length()) : library.path();
        return new Library(library.from(), library.to(), library.symbolsRead(), path);
    }

    /** {@code info registers}: name to "raw natural", e.g. {@code rip -> "0x7f.. 0x7f.. <f+12>"}. */
    public static Map<String, String> registers(String text) {
        Map<String, String> registers = new LinkedHashMap<>();
        Matcher m = REGISTER.matcher(text);
        while (m.find()) {
            registers.put(m.group(1), (m.group(2) + " " + m.group(3)).trim());
        }
        return registers;
    }

    /** The rows of an {@code x/...} memory dump, verbatim. */
    public static List<String> memoryRows(String text) {
        List<String> rows = new ArrayList<>();
        Matcher m = MEMORY_ROW.matcher(text);
        while (m.find()) {
            rows.add(m.group().stripTrailing());
        }
        return rows;
    }

    /** The quoted string of a {@code char *} value: {@code 0x55.. "hello, bob!"} gives {@code hello, bob!}. */
    public static String quotedString(String value) {
        Matcher m = Pattern.compile("^0x[0-9a-f]+ \"(.*)\"$").matcher(value);
        if (!m.matches()) {
            throw new AssertionError("not a char * value: " + value);
        }
        return m.group(1);
    }
}
