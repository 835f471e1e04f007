package io.coredumptools.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One configuration of a batch gdb run: pre-commands, timeout and program arguments. Immutable; each
 * {@code with...} returns a new invocation. Start from {@link Gdb}.
 */
public final class GdbInvocation {

    static final GdbInvocation DEFAULT = new GdbInvocation(List.of(), Gdb.DEFAULT_TIMEOUT, List.of());

    /** How gdb announces that the live program received SIGABRT. */
    private static final String STOPPED_AT_ABORT = "received signal SIGABRT";

    /**
     * Always first: there is no network here, and a gdb built with debuginfod must not try to download
     * symbols (nor ask whether to) while loading; the outcome would also depend on the machine.
     */
    private static final List<String> FIXED_PRE_COMMANDS = List.of("set debuginfod enabled off");

    /** Always applied after loading, so output is never paged or wrapped. */
    private static final List<String> FIXED_SETTINGS = List.of("set pagination off", "set width 0");

    private final List<String> preCommands;
    private final Duration timeout;
    private final List<String> programArguments;

    private GdbInvocation(List<String> preCommands, Duration timeout, List<String> programArguments) {
        this.preCommands = List.copyOf(preCommands);
        this.timeout = Objects.requireNonNull(timeout);
        this.programArguments = List.copyOf(programArguments);
    }

    /** Adds commands run (as {@code -iex}) before gdb loads the program and the core. */
    public GdbInvocation withPreCommands(String... commands) {
        List<String> all = new ArrayList<>(preCommands);
        all.addAll(Arrays.asList(commands));
        return new GdbInvocation(all, timeout, programArguments);
    }

    public GdbInvocation withTimeout(Duration newTimeout) {
        return new GdbInvocation(preCommands, newTimeout, programArguments);
    }

    /** Arguments for the program in {@link #onLiveProcessAtAbort}. */
    public GdbInvocation withProgramArguments(String... arguments) {
        return new GdbInvocation(preCommands, timeout, Arrays.asList(arguments));
    }

    /** See {@link Gdb#onCore}. */
    public String onCore(Path program, Path core, String... commands) {
        CommandResult result = runOnCore(program, core, commands);
        if (!result.succeeded()) {
            throw new CommandFailedException("gdb failed on core " + core, result);
        }
        return result.stdout();
    }

    /**
     * Like {@link #onCore} but returns the whole result, stderr and exit code included, whatever the exit
     * code: for tests that compare gdb's error messages. Still throws if gdb cannot run or times out.
     */
    public CommandResult runOnCore(Path program, Path core, String... commands) {
        List<String> command = commandLineStart();
        command.addAll(List.of(
                program.toAbsolutePath().toString(), core.toAbsolutePath().toString()));
        addEach(command, "-ex", Arrays.asList(commands));
        return runGdb(command, workingDirectoryFor(program));
    }

    /** See {@link Gdb#onLiveProcessAtAbort}. */
    public String onLiveProcessAtAbort(Path program, String... commands) {
        CommandResult result = runOnLiveProcessAtAbort(program, commands);
        if (!result.stdout().contains(STOPPED_AT_ABORT)) {
            throw new CommandFailedException(
                    "The program did not stop with SIGABRT under gdb, so the commands did not run at the abort",
                    result);
        }
        if (!result.succeeded()) {
            throw new CommandFailedException("gdb failed on the live program " + program, result);
        }
        return result.stdout();
    }

    /**
     * Like {@link #onLiveProcessAtAbort} but returns the whole result without checking the exit code or
     * that SIGABRT was reached.
     */
    public CommandResult runOnLiveProcessAtAbort(Path program, String... commands) {
        List<String> command = commandLineStart();
        command.add("-iex");
        command.add(LivePtrace.GDB_PRE_COMMAND);
        command.add("-ex");
        command.add("run");
        addEach(command, "-ex", Arrays.asList(commands));
        // --args must come last: everything after the program is passed to it.
        command.add("--args");
        command.add(program.toAbsolutePath().toString());
        command.addAll(programArguments);
        return runGdb(command, workingDirectoryFor(program), LivePtrace.debuggerEnvironment());
    }

    private List<String> commandLineStart() {
        List<String> command = new ArrayList<>(List.of("gdb", "-batch", "-nx", "-q"));
        addEach(command, "-iex", FIXED_PRE_COMMANDS);
        addEach(command, "-iex", preCommands);
        addEach(command, "-ex", FIXED_SETTINGS);
        return command;
    }

    private static void addEach(List<String> command, String option, List<String> values) {
        for (String value : values) {
            command.add(option);
            command.add(value);
        }
    }

    private CommandResult runGdb(List<String> command, Path workingDirectory) {
        return runGdb(command, workingDirectory, Map.of());
    }

    private CommandResult runGdb(List<String> command, Path workingDirectory, Map<String, String> extraEnvironment) {
        Map<String, String> environment = new HashMap<>(extraEnvironment);
        // English, unlocalised messages, so tests can match them.
        environment.put("LC_ALL", "C");
        // Belt and braces with "set debuginfod enabled off": no symbol server lookups.
        environment.put("DEBUGINFOD_URLS", null);
        return ExternalCommand.run(command, workingDirectory, timeout, environment);
    }

    /** The program's directory, so a fixture's relative paths work as they did when it crashed. */
    private static Path workingDirectoryFor(Path program) {
        Path parent = program.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of(".").toAbsolutePath();
    }

    @Override
    public String toString() {
        return "GdbInvocation[preCommands=" + preCommands + ", timeout=" + timeout + ", programArguments="
                + programArguments + "]";
    }
}
