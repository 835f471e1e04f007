package io.coredumptools.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code corestub} command line: one class per subcommand ({@link InfoCommand}, {@link CallCommand}, {@link ServeCommand}),
 * sharing {@link CoreOptionsMixin} for the options that say where a core's files are. A command line that names its
 * command builds only that one (see {@link #commandLine(String[])}).
 *
 * <p>Exit codes: 0 success, 1 an unexpected error (a bug; for {@code call}: a call faulted), 2 unusable input or a
 * usage error.
 */
@Command(
        name = "corestub",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Makes a Linux x86-64 core dump behave like a live, stopped process.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:unexpected error (run again with --verbose for the stack trace); for call: a call faulted",
            "2:unusable input (not an x86-64 ELF core, unreadable, empty, ...) or a usage error"
        },
        footer = {"", "Run 'corestub help COMMAND' for a command's options."})
public final class Corestub implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_UNEXPECTED = 1;
    public static final int EXIT_UNUSABLE_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Log more to stderr: -v info, -vv debug, -vvv trace; also shows stack traces of errors.")
    boolean[] verbose = new boolean[0];

    /** How many -v were given anywhere on the command line; set before the command runs. */
    int verbosity;

    private static final String NETTY_JFR = "io.netty.jfr.enabled";

    static {
        // Netty 4.2 defines JFR events for its buffer allocator and, unless told not to, loads the JDK's flight
        // recorder when its first buffer class initialises: some 90 classes, about 70 ms of CPU on the way to the
        // first reply (measured: cold serve → bt). corestub records no such events. The application sets it (a
        // library does not set JVM-wide properties), before any Netty class initialises, and only when the user
        // has not chosen: -Dio.netty.jfr.enabled=true turns them back on.
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
    }

    public static void main(String[] args) {
        System.exit(run(
                args,
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs {@code corestub args}, writing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cmd = commandLine(args);
        cmd.setOut(out);
        cmd.setErr(err);
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The subcommands, in the order the usage help lists them ({@code help} comes last). */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("info", InfoCommand::new);
        commands.put("call", CallCommand::new);
        commands.put("serve", ServeCommand::new);
        return commands;
    }

    /** The configured command line with every subcommand, without its output streams set. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The configured command line for {@code args}, without its output streams set: with only the command they name
     * when they name one (after nothing but -v), else with every command. picocli reflects over each command's
     * options when it is added, a tenth of a second of {@code serve}'s start for the two that do not run (issue 13).
     */
    static CommandLine commandLine(String[] args) {
        Corestub top = new Corestub();
        CommandLine cmd = new CommandLine(top);
        String named = namedCommand(args);
        for (Map.Entry<String, Supplier<Object>> command : COMMANDS.entrySet()) {
            if (named == null || named.equals(command.getKey())) {
                cmd.addSubcommand(command.getKey(), command.getValue().get());
            }
        }
        if (named == null) {
            cmd.addSubcommand("help", new CommandLine.HelpCommand());
        }
        cmd.setExecutionStrategy(parseResult -> {
            top.verbosity = verbosity(parseResult);
            configureLogging(top.verbosity);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cmd.setExecutionExceptionHandler(new ErrorHandler(() -> top.verbosity));
        cmd.setParameterExceptionHandler(ErrorHandler::handleParameterException);
        return cmd;
    }

    /** The command {@code args} run, when every argument before it is a -v; else null. */
    private static String namedCommand(String[] args) {
        for (String arg : args) {
            if (COMMANDS.containsKey(arg)) {
                return arg;
            }
            if (!arg.equals("--verbose") && !arg.matches("-v+")) {
                return null;
            }
        }
        return null;
    }

    /** Without a subcommand: a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "missing command: one of "
                        + String.join(
                                ", ",
                                spec.subcommands().keySet().stream()
                                        .filter(n -> !n.equals("help"))
                                        .toList()));
    }

    static int verbosity(ParseResult parseResult) {
        int count = 0;
        // Counted from the matches: the inherited option's value is shared, not summed, across commands.
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            for (CommandLine.Model.OptionSpec option : pr.matchedOptions()) {
                if (option.longestName().equals("--verbose")) {
                    count++;
                }
            }
        }
        return count;
    }

    /** WARN by default; each -v one level more. */
    static void configureLogging(int verbosity) {
        if (verbosity <= 0) {
            return;
        }
        Level level = switch (verbosity) {
            case 1 -> Level.INFO;
            case 2 -> Level.DEBUG;
            default -> Level.TRACE;
        };
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(level);
        }
    }
}
