package io.coredumptools.integration.differential;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command of a {@link CallRow} through corestub and what its output must be: the same as a named live answer
 * (whole output, or only the memory words of an {@code x} dump, whose addresses differ between the live process and
 * a core of another run), a non-zero value, a stop by a signal (the failing call of a damage row), or simply no
 * error (a setting such as {@code monitor restore-mode session}).
 */
record RowStep(String command, Expect expect, String liveAnswer) {
    enum Expect {
        SAME_AS_LIVE,
        SAME_MEMORY_WORDS_AS_LIVE,
        NONZERO_VALUE,
        STOPS_WITH_A_SIGNAL,
        ACCEPTED
    }

    private static final Pattern VALUE = Pattern.compile("^\\$N = (.*)$", Pattern.MULTILINE);
    private static final Pattern MEMORY_LABEL = Pattern.compile("^0x[0-9a-f]+(?: <[^>]*>)?:", Pattern.MULTILINE);
    private static final Pattern ERROR = Pattern.compile(
            "unknown|is one of|must be|takes|Protocol error|not supported|Cannot|error|No symbol",
            Pattern.CASE_INSENSITIVE);

    static RowStep sameAsLive(String command, String liveAnswer) {
        return new RowStep(command, Expect.SAME_AS_LIVE, liveAnswer);
    }

    static RowStep sameMemoryWordsAsLive(String command, String liveAnswer) {
        return new RowStep(command, Expect.SAME_MEMORY_WORDS_AS_LIVE, liveAnswer);
    }

    static RowStep nonZeroValue(String command) {
        return new RowStep(command, Expect.NONZERO_VALUE, null);
    }

    static RowStep stopsWithASignal(String command) {
        return new RowStep(command, Expect.STOPS_WITH_A_SIGNAL, null);
    }

    static RowStep accepted(String command) {
        return new RowStep(command, Expect.ACCEPTED, null);
    }

    /** Null when the normalised output {@code remote} is as expected, else why not. */
    String mismatch(String remote, String live) {
        return switch (expect) {
            case SAME_AS_LIVE -> remote.equals(live) ? null : "live gdb printed:\n" + live;
            case SAME_MEMORY_WORDS_AS_LIVE -> {
                String words = MEMORY_LABEL.matcher(live).replaceAll("<address>:");
                yield MEMORY_LABEL.matcher(remote).replaceAll("<address>:").equals(words) && words.contains(":")
                        ? null
                        : "live gdb printed (addresses aside):\n" + words;
            }
            case NONZERO_VALUE -> {
                Matcher value = VALUE.matcher(remote);
                yield value.find() && !value.group(1).matches("0|0x0") ? null : "expected a non-zero value";
            }
            case STOPS_WITH_A_SIGNAL ->
                remote.contains("signaled while in a function called from GDB")
                        ? null
                        : "expected this call to fail through corestub (stopped by a signal); if it no longer fails,"
                                + " the row needs another failing call";
            case ACCEPTED -> ERROR.matcher(remote).find() ? "refused" : null;
        };
    }
}
