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

    static final GdbInvocation DEFAULT = new GdbInvocation(List.of(), Gdb.DEFAULT_TIMEOUT, List.of(), false, false);

    /** Exit code of {@link #withCoreDumpsAllowed()} when "ulimit -c unlimited" or the filter is refused. */
    public static final int EXIT_CODE_ULIMIT_REFUSED = 97;

    /** The kernel's default /proc/PID/coredump_filter (Documentation/filesystems/proc.rst). */
    static final String DEFAULT_COREDUMP_FILTER = "0x33";

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
    private final boolean onTerminal;
    private final boolean coreDumpsAllowed;

    private GdbInvocation(
            List<String> preCommands,
            Duration timeout,
            List<String> programArguments,
            boolean onTerminal,
            boolean coreDumpsAllowed) {
        this.preCommands = List.copyOf(preCommands);
        this.timeout = Objects.requireNonNull(timeout);
        this.programArguments = List.copyOf(programArguments);
        this.onTerminal = onTerminal;
        this.coreDumpsAllowed = coreDumpsAllowed;
    }

    /** Adds commands run (as {@code -iex}) before gdb loads the program and the core. */
    public GdbInvocation withPreCommands(String... commands) {
        List<String> all = new ArrayList<>(preCommands);
        all.addAll(Arrays.asList(commands));
        return new GdbInvocation(all, timeout, programArguments, onTerminal, coreDumpsAllowed);
    }

    public GdbInvocation withTimeout(Duration newTimeout) {
        return new GdbInvocation(preCommands, newTimeout, programArguments, onTerminal, coreDumpsAllowed);
    }

    /** Arguments for the program in {@link #onLiveProcessAtAbort}. */
    public GdbInvocation withProgramArguments(String... arguments) {
        return new GdbInvocation(preCommands, timeout, Arrays.asList(arguments), onTerminal, coreDumpsAllowed);
    }

    /**
     * Runs gdb, and so the program it starts, on a pseudo-terminal (util-linux {@code script}), as for a user at
     * a terminal: the program's stdio is line-buffered and its output appears in gdb's console while a call
     * runs. gdb's stdout and stderr are then one stream in the order gdb wrote them, returned as the result's
     * stdout with the terminal's {@code \r\n} turned into {@code \n}; stderr stays empty. TERM is "dumb", so
     * gdb styles nothing.
     */
    public GdbInvocation withTerminal() {
        return new GdbInvocation(preCommands, timeout, programArguments, true, coreDumpsAllowed);
    }

    /**
     * Cores as a program in the field leaves them: raises gdb's core file size limit ({@code ulimit -c
     * unlimited}), so a fatal signal delivered to the program (gdb's {@code signal SIGABRT}) leaves a kernel core,
     * and sets the kernel's default {@code coredump_filter} ({@value #DEFAULT_COREDUMP_FILTER}: anonymous memory
     * and ELF headers, not the rest of file-backed mappings). Both are inherited by the program, and gdb's
     * {@code gcore} honours the filter too. Without it the program would inherit the JVM's filter (0x3f, which adds
     * every file-backed mapping), so its cores would hold what real cores leave out. Exits with
     * {@value #EXIT_CODE_ULIMIT_REFUSED} if the limit cannot be raised.
     */
    public GdbInvocation withCoreDumpsAllowed() {
        return new GdbInvocation(preCommands, timeout, programArguments, onTerminal, true);
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

    /**
     * Runs gdb on the program with exactly these commands, in order, and nothing else: the program starts where
     * a command says so ({@code run}, {@code start}), so the commands can stop it anywhere (e.g.
     * {@code break main}, {@code run}, {@code next}) before they inspect or call. Returns the whole result
     * whatever the exit code. Like {@link #runOnLiveProcessAtAbort}, gdb runs with {@link LivePtrace}'s shim and
     * the program without it.
     */
    public CommandResult runOnLiveProcess(Path program, List<String> commands) {
        List<String> command = commandLineStart();
        command.add("-iex");
        command.add(LivePtrace.GDB_PRE_COMMAND);
        addEach(command, "-ex", commands);
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
        List<String> launched = command;
        if (coreDumpsAllowed) {
            launched = new ArrayList<>(List.of(
                    "bash",
                    "-c",
                    "ulimit -c unlimited || exit " + EXIT_CODE_ULIMIT_REFUSED + "; echo " + DEFAULT_COREDUMP_FILTER
                            + " > /proc/self/coredump_filter || exit " + EXIT_CODE_ULIMIT_REFUSED + "; exec \"$@\"",
                    "bash"));
            launched.addAll(command);
        }
        if (!onTerminal) {
            return ExternalCommand.run(launched, workingDirectory, timeout, environment);
        }
        environment.put("TERM", "dumb");
        environment.put("SHELL", "/bin/sh");
        List<String> script = List.of(
                "script", "--quiet", "--return", "--flush", "--command", ShellQuoting.join(launched), "/dev/null");
        CommandResult onPty = ExternalCommand.run(script, workingDirectory, timeout, environment);
        return new CommandResult(
                onPty.command(), onPty.exitCode(), onPty.stdout().replace("\r\n", "\n"), onPty.stderr());
    }

    /** The program's directory, so a fixture's relative paths work as they did when it crashed. */
    private static Path workingDirectoryFor(Path program) {
        Path parent = program.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of(".").toAbsolutePath();
    }

    @Override
    public String toString() {
        return "GdbInvocation[preCommands=" + preCommands + ", timeout=" + timeout + ", programArguments="
                + programArguments + ", onTerminal=" + onTerminal + ", coreDumpsAllowed=" + coreDumpsAllowed + "]";
    }
}
