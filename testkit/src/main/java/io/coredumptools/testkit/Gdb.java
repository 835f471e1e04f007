package io.coredumptools.testkit;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The real gdb, as ground truth for tests: what gdb prints for a core, or for the live program stopped
 * at its abort, is what our own tools must reproduce.
 *
 * <p>{@code Gdb.onCore(program, core, "p counter")} runs
 * {@code gdb -batch -nx -q -ex 'set pagination off' -ex 'set width 0' PROGRAM CORE -ex 'p counter'}
 * and returns gdb's stdout. For extra commands that must run before the program and core are loaded
 * (such as {@code set debug-file-directory DIR}), or another timeout, configure an invocation:
 * {@code Gdb.withPreCommands("set debug-file-directory " + dir).onCore(program, core, "bt")}.
 */
public final class Gdb {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Gdb() {}

    /**
     * Runs the commands on the core and returns gdb's stdout (which includes gdb's own messages about
     * loading the core). Errors of individual commands go to stderr, not into the returned text.
     *
     * @throws CommandFailedException if gdb is missing, times out or exits with a non-zero code
     */
    public static String onCore(Path program, Path core, String... commands) {
        return defaults().onCore(program, core, commands);
    }

    /**
     * Runs the program under gdb until it stops with SIGABRT (the fixtures abort at the end of main), then
     * runs the commands in that live process, e.g. {@code "p next_id()"}. Returns gdb's stdout, which also
     * contains the program's own output.
     *
     * @throws CommandFailedException if gdb is missing, times out, exits non-zero, or the program did not
     *     stop with SIGABRT
     */
    public static String onLiveProcessAtAbort(Path program, String... commands) {
        return defaults().onLiveProcessAtAbort(program, commands);
    }

    /** An invocation with commands run (as {@code -iex}) before gdb loads the program and the core. */
    public static GdbInvocation withPreCommands(String... preCommands) {
        return defaults().withPreCommands(preCommands);
    }

    public static GdbInvocation withTimeout(Duration timeout) {
        return defaults().withTimeout(timeout);
    }

    public static GdbInvocation defaults() {
        return GdbInvocation.DEFAULT;
    }
}
