package io.coredumptools.cli;

import io.coredumptools.cli.expr.CallArgument;
import io.coredumptools.cli.expr.CallExpression;
import io.coredumptools.cli.expr.ExpressionSyntaxException;
import io.coredumptools.cli.remote.OpenedSource;
import io.coredumptools.cli.remote.RemoteOptionsMixin;
import io.coredumptools.cli.value.CValue;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.dwarf.VoidType;
import io.coredumptools.elfcore.symbols.DebugFileLocator;
import io.coredumptools.elfcore.symbols.Symbol;
import io.coredumptools.elfcore.symbols.SymbolKind;
import io.coredumptools.emulator.Argument;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.CallFailedException;
import io.coredumptools.emulator.CallResult;
import io.coredumptools.emulator.EmulationFault;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.emulator.FaultKind;
import io.coredumptools.emulator.ScratchMemory;
import io.coredumptools.emulator.call.InstructionTrace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corestub call CORE EXPR...}: runs functions of the crashed program in the emulator, on the core's memory,
 * and prints what they return.
 */
@Command(
        name = "call",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Calls functions of the crashed program on the core's memory (in an emulator) and prints their "
                    + "results, one line per EXPR, after what the call printed. Every call starts from the "
                    + "crash image unless --keep-state.",
            "",
            "EXPR is NAME(ARG, ...) with an optional cast before it, as in gdb. Arguments and the result have "
                    + "the types the program's debug info (DWARF) gives the function: arguments are converted to "
                    + "the parameter types, and the result is printed as gdb prints its type. Without debug info "
                    + "the call must be cast to the function's return type ((int), (double), (long double), "
                    + "(char*), (void), ...) and arguments are passed as C passes them to a function without a "
                    + "prototype (integers as int or long, 1.5 as double, float promoted to double); cast the "
                    + "function to give it one: ((float (*)(float, int))f)(1.5, 2).",
            "",
            "An ARG is an integer (42, -1, 0x10, 'a'), a floating-point literal (1.5, 2e3, 1.5f, 1.5L), a "
                    + "string \"...\" with C escapes (placed in memory outside the core's), &SYMBOL (its "
                    + "address), SYMBOL (the 8-byte value stored in that global; a function's address), or a cast "
                    + "of one ((float)1.5, (char)65).",
            "",
            "Examples:",
            "  corestub call core 'next_id()' '(char*)greet(\"bob\")' '(double)scale(1.5, 3)' 'point_sum(gp)'"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every call returned",
            "1:a call stopped with a fault (SIGSEGV, runaway past the budget, ...): the report is on stderr",
            "2:unusable input or usage error (a malformed EXPR, an unknown function, not a core, ...)"
        })
public final class CallCommand implements Callable<Integer> {

    /** A call ended in an emulation fault. */
    public static final int EXIT_FAULT = 1;

    private static final Logger LOG = LoggerFactory.getLogger(CallCommand.class);

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "CORE",
            description = "The core: a local file, s3://BUCKET/KEY or http(s)://HOST/PATH (fetched lazily).")
    String core;

    @Mixin
    RemoteOptionsMixin remote;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "EXPR",
            description = "A call such as 'next_id()' or '(char*)greet(\"bob\")'; quote it for the shell. "
                    + "Several are run in order.")
    List<String> expressions = new ArrayList<>();

    @Option(
            names = "--thread",
            paramLabel = "N",
            order = 10,
            description = "Run the calls on thread N, numbered as gdb does (1, the default, is the thread that "
                    + "took the fatal signal): its registers and thread-local storage.")
    int thread = 1;

    @Option(
            names = "--keep-state",
            order = 11,
            description = "Let each call see what the calls before it changed (memory, heap, globals), "
                    + "instead of starting from the crash image.")
    boolean keepState;

    @Option(
            names = "--budget-ms",
            paramLabel = "MS",
            order = 12,
            description = "Stop a call that runs longer than MS milliseconds of wall time (default: "
                    + "${DEFAULT-VALUE}); it ends with exit code 1.")
    long budgetMillis = CallBudget.DEFAULT.time().toMillis();

    @Option(
            names = "--no-lock-bypass",
            order = 13,
            description = "Do not let calls take locks that other threads held at crash time: such a call "
                    + "then stops with a lock-wait fault naming the owner.")
    boolean noLockBypass;

    @Option(
            names = "--trace",
            order = 14,
            description = "Print every instruction each call runs (disassembled, with symbols) to stderr, or "
                    + "to --trace-file.")
    boolean trace;

    @Option(
            names = "--trace-limit",
            paramLabel = "LINES",
            order = 15,
            description = "At most LINES instructions per call in the trace (default: ${DEFAULT-VALUE}); the "
                    + "rest are only counted.")
    int traceLimit = 10_000;

    @Option(
            names = "--trace-file",
            paramLabel = "FILE",
            order = 16,
            description = "Write the trace to FILE (replaced) instead of stderr; implies --trace.")
    Path traceFile;

    @Mixin
    CoreOptionsMixin coreOptions;

    @Override
    public Integer call() throws CoreFormatException, UnusableInputException, IOException {
        CoreOptions options = coreOptions.toCoreOptions();
        checkOptions();
        List<CallExpression> calls = parseAll(expressions);
        if (!OpenedSource.isRemote(core)) {
            CoreOptionsMixin.requireRegularFile("", Path.of(core));
        }
        boolean tracing = trace || traceFile != null;
        EmulatorOptions emulatorOptions = new EmulatorOptions(
                options, !noLockBypass, new CallBudget(0, Duration.ofMillis(budgetMillis)), keepState, true);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        try (OpenedSource source = OpenedSource.open(core, options, remote);
                Emulator emulator = Emulator.open(source.path(), emulatorOptions.withCore(source.options()));
                ProgramTypes types = new ProgramTypes(emulator.symbols(), DebugFileLocator.from(source.options()));
                TraceSink traceSink = tracing ? TraceSink.open(traceFile, err) : null) {
            LOG.info("{} open for calls in {} ms", core, (System.nanoTime() - started) / 1_000_000);
            if (source.usesStorage()) {
                err.println("corestub: " + source.progressLine());
                err.flush();
            }
            if (thread > emulator.threads().size()) {
                throw new UnusableInputException("--thread " + thread + ": " + core + " has "
                        + emulator.threads().size() + " thread"
                        + (emulator.threads().size() == 1 ? "" : "s")
                        + ": give 1 to " + emulator.threads().size() + " (corestub info lists them)");
            }
            emulator.selectThread(thread - 1);
            CallBinding binding = new CallBinding(emulator, types, core);
            for (CallExpression call : calls) {
                checkSymbols(emulator, binding, call);
            }
            List<ScratchMemory> strings = new ArrayList<>();
            try {
                for (int i = 0; i < calls.size(); i++) {
                    CallExpression call = calls.get(i);
                    if (i > 0
                            && !keepState
                            && call.arguments().stream().anyMatch(a -> a instanceof CallArgument.SymbolValue)) {
                        // Globals are read from the crash image, as the call will see it.
                        emulator.restoreCrashImage();
                    }
                    Optional<EmulationFault> fault = run(emulator, binding, call, strings, out, traceSink);
                    if (fault.isPresent()) {
                        out.flush();
                        reportFault(call, fault.get(), err);
                        return EXIT_FAULT;
                    }
                }
            } finally {
                strings.forEach(ScratchMemory::close);
            }
        }
        return Corestub.EXIT_OK;
    }

    /** Runs one call and prints its output and result; the fault if it did not return. */
    private Optional<EmulationFault> run(
            Emulator emulator,
            CallBinding binding,
            CallExpression call,
            List<ScratchMemory> strings,
            PrintWriter out,
            TraceSink traceSink)
            throws UnusableInputException {
        try {
            long function = emulator.resolveFunction(call.function());
            CallBinding.Prototype prototype = binding.prototype(call, function);
            Optional<CType> cast = call.cast().isPresent()
                    ? Optional.of(binding.resolve(call, call.cast().get()))
                    : Optional.empty();
            CType returnType = prototype
                    .returnType()
                    .or(() -> cast)
                    .orElseThrow(() -> inputError(
                            call,
                            call.functionColumn(),
                            "'" + call.function()
                                    + "' has unknown return type; cast the call to its declared return type,"
                                    + " such as (TYPE)" + call.function() + "(...): no debug info describes it"));
            Argument[] arguments = binding.arguments(call, prototype, strings);
            if (traceSink != null) {
                emulator.setTrace(traceLimit);
            }
            CallResult result;
            try {
                result = emulator.call(function, returnType, arguments);
            } catch (IllegalArgumentException unpassable) {
                throw inputError(call, call.functionColumn(), unpassable.getMessage());
            } finally {
                if (traceSink != null) {
                    emulator.trace().ifPresent(t -> traceSink.write(call, t, traceLimit));
                    emulator.setTrace(0);
                }
            }
            LOG.info("{} returned in {} ms", call.source(), result.nanos() / 1_000_000);
            CValue value = new CValue(returnType, result.value());
            CType printed = cast.orElse(returnType);
            String line;
            if (printed instanceof VoidType) {
                line = null;
            } else {
                try {
                    value = value.convertTo(printed);
                } catch (IllegalArgumentException e) {
                    throw inputError(call, call.cast().get().column(), e.getMessage());
                }
                line = CallResultFormat.format(value, address -> emulator.read(address, 1)[0]);
            }
            String output = result.outputText();
            out.print(output);
            if (!output.isEmpty() && !output.endsWith("\n") && line != null) {
                out.println();
            }
            if (line != null) {
                out.println(line);
            }
            out.flush();
            return Optional.empty();
        } catch (CallFailedException e) {
            return Optional.of(e.fault());
        }
    }

    /** Every name the call refers to exists, before anything runs: a typo costs no partial output. */
    private void checkSymbols(Emulator emulator, CallBinding binding, CallExpression call)
            throws UnusableInputException {
        Optional<Symbol> function = emulator.symbols().lookup(call.function());
        if (function.isEmpty()) {
            throw inputError(
                    call,
                    call.functionColumn(),
                    "no function named '" + call.function() + "' in "
                            + core + " or its libraries: check the name (C names, as nm shows them); a static function "
                            + "needs the executable's symbol table (--exe PROG if it is elsewhere)");
        }
        SymbolKind kind = function.get().kind();
        if (kind == SymbolKind.OBJECT || kind == SymbolKind.TLS) {
            throw inputError(call, call.functionColumn(), "'" + call.function() + "' is a variable, not a function");
        }
        for (CallArgument argument : call.arguments()) {
            if (argument instanceof CallArgument.AddressOf a) {
                binding.symbol(call, a.symbol(), a.column());
            } else if (argument instanceof CallArgument.SymbolValue v) {
                binding.symbol(call, v.symbol(), v.column());
            }
        }
    }

    static UnusableInputException inputError(CallExpression call, int column, String problem) {
        return new UnusableInputException(
                "expression '" + call.source() + "': " + problem + "\n" + caret(call.source(), column));
    }

    private void checkOptions() throws UnusableInputException {
        if (thread < 1) {
            throw new UnusableInputException("--thread " + thread + ": threads are numbered from 1, as in gdb");
        }
        if (budgetMillis <= 0) {
            throw new UnusableInputException(
                    "--budget-ms " + budgetMillis + ": give a positive number of milliseconds");
        }
        if (traceLimit <= 0) {
            throw new UnusableInputException("--trace-limit " + traceLimit + ": give a positive number of lines");
        }
    }

    /** Parses every expression first, so that a typo in the last one runs nothing. */
    static List<CallExpression> parseAll(List<String> expressions) throws UnusableInputException {
        List<CallExpression> calls = new ArrayList<>();
        for (String text : expressions) {
            try {
                calls.add(CallExpression.parse(text));
            } catch (ExpressionSyntaxException e) {
                throw new UnusableInputException("bad expression '" + text + "' at column " + (e.column() + 1) + ": "
                        + e.problem() + "\n" + caret(text, e.column()));
            }
        }
        return calls;
    }

    /** The expression and a caret under {@code column}, indented by two spaces. */
    static String caret(String source, int column) {
        String flat = source.replace('\t', ' ').replace('\n', ' ');
        return "  " + flat + "\n  " + " ".repeat(Math.max(0, Math.min(column, flat.length()))) + "^";
    }

    private void reportFault(CallExpression call, EmulationFault fault, PrintWriter err) {
        err.print("corestub: " + call.source() + ": " + fault.report());
        if (fault.kind() == FaultKind.BUDGET_EXHAUSTED) {
            err.println("hint: the call ran past its budget of " + budgetMillis + " ms; if it is not stuck, give "
                    + "it more time with --budget-ms");
        } else if (fault.kind() == FaultKind.LOCK_WAIT && noLockBypass) {
            err.println("hint: without --no-lock-bypass the call may take the lock anyway");
        }
        err.flush();
    }

    /** Where the instruction trace goes: stderr or a file. */
    private static final class TraceSink implements AutoCloseable {
        private final PrintWriter writer;
        private final boolean owned;

        private TraceSink(PrintWriter writer, boolean owned) {
            this.writer = writer;
            this.owned = owned;
        }

        static TraceSink open(Path file, PrintWriter err) throws UnusableInputException {
            if (file == null) {
                return new TraceSink(err, false);
            }
            try {
                return new TraceSink(new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8)), true);
            } catch (IOException e) {
                throw new UnusableInputException("--trace-file " + file + ": cannot be written ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }

        void write(CallExpression call, InstructionTrace trace, int limit) {
            writer.println("trace of " + call.source() + ": " + trace.executed() + " instruction"
                    + (trace.executed() == 1 ? "" : "s"));
            trace.lines().forEach(writer::println);
            if (trace.dropped() > 0) {
                writer.println("... " + trace.dropped() + " more not shown (the first " + limit
                        + " are; raise --trace-limit for more)");
            }
            writer.flush();
        }

        @Override
        public void close() {
            writer.flush();
            if (owned) {
                writer.close();
            }
        }
    }
}
