package io.coredumptools.cli;

import io.coredumptools.cli.expr.CallArgument;
import io.coredumptools.cli.expr.CallExpression;
import io.coredumptools.cli.expr.Cast;
import io.coredumptools.cli.expr.ExpressionSyntaxException;
import io.coredumptools.cli.expr.TypeName;
import io.coredumptools.cli.value.BuiltinTypes;
import io.coredumptools.cli.value.CValue;
import io.coredumptools.cli.value.Real;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.dwarf.BaseType;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.dwarf.FunctionSignature;
import io.coredumptools.elfcore.dwarf.FunctionType;
import io.coredumptools.elfcore.dwarf.PointerType;
import io.coredumptools.elfcore.dwarf.StructType;
import io.coredumptools.elfcore.dwarf.UnsupportedType;
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
import java.util.stream.Collectors;
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

    @Parameters(index = "0", paramLabel = "CORE", description = "The core file.")
    Path core;

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
        CoreOptionsMixin.requireRegularFile("", core);
        boolean tracing = trace || traceFile != null;
        EmulatorOptions emulatorOptions = new EmulatorOptions(
                options, !noLockBypass, new CallBudget(0, Duration.ofMillis(budgetMillis)), keepState, true);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        try (Emulator emulator = Emulator.open(core, emulatorOptions);
                ProgramTypes types = new ProgramTypes(emulator.symbols(), DebugFileLocator.from(options));
                TraceSink traceSink = tracing ? TraceSink.open(traceFile, err) : null) {
            LOG.info("{} open for calls in {} ms", core, (System.nanoTime() - started) / 1_000_000);
            if (thread > emulator.threads().size()) {
                throw new UnusableInputException("--thread " + thread + ": " + core + " has "
                        + emulator.threads().size() + " thread"
                        + (emulator.threads().size() == 1 ? "" : "s")
                        + ": give 1 to " + emulator.threads().size() + " (corestub info lists them)");
            }
            emulator.selectThread(thread - 1);
            for (CallExpression call : calls) {
                checkSymbols(emulator, call);
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
                    Optional<EmulationFault> fault = run(emulator, types, call, strings, out, traceSink);
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
            ProgramTypes types,
            CallExpression call,
            List<ScratchMemory> strings,
            PrintWriter out,
            TraceSink traceSink)
            throws UnusableInputException {
        try {
            long function = emulator.resolveFunction(call.function());
            Prototype prototype = prototype(types, call, function);
            Optional<CType> cast = call.cast().isPresent()
                    ? Optional.of(resolve(types, call, call.cast().get()))
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
            Argument[] arguments = arguments(emulator, types, call, prototype, strings);
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

    /**
     * How the callee is called, as gdb decides: the prototype of a function-pointer cast, else the DWARF of the
     * function the symbol resolves to, else none (unknown return type, default argument promotions).
     *
     * @param parameters    empty when the callee has no prototype
     * @param promoteExtras whether arguments no parameter declares take the default argument promotions: not
     *     for a function without debug info whose call is cast, which gdb calls as if prototyped with the
     *     arguments' own types ({@code (float)f(2.0f)} passes a float)
     */
    private record Prototype(
            Optional<CType> returnType, Optional<List<CType>> parameters, boolean variadic, boolean promoteExtras) {}

    private Prototype prototype(ProgramTypes types, CallExpression call, long function) throws UnusableInputException {
        if (call.functionCast().isPresent()) {
            CType cast = resolve(types, call, call.functionCast().get());
            FunctionType f = (FunctionType) ((PointerType) cast).target();
            return new Prototype(
                    Optional.of(f.returnType()),
                    f.prototyped() ? Optional.of(f.parameterTypes()) : Optional.empty(),
                    f.variadic(),
                    true);
        }
        // An assembly routine's DWARF (glibc's string functions) has no return type: gdb calls it as one without
        // debug info.
        Optional<FunctionSignature> signature =
                types.functionAt(function).filter(f -> !(f.returnType() instanceof UnsupportedType));
        if (signature.isEmpty()) {
            LOG.info(
                    "{}: no debug info describes it: its return type must be cast, and its arguments are passed "
                            + "as their own types, as gdb passes them",
                    call.function());
            return new Prototype(Optional.empty(), Optional.empty(), false, false);
        }
        FunctionSignature f = signature.get();
        LOG.info("{}: {} (DWARF of {})", call.function(), f.typeName(), f.compileUnit());
        return new Prototype(
                Optional.of(f.returnType()),
                f.prototyped() ? Optional.of(f.parameterTypes()) : Optional.empty(),
                f.variadic(),
                true);
    }

    /**
     * The arguments converted as gdb converts them for this callee: to the declared parameter types, and with
     * the default argument promotions (float to double, char and short to int) where no parameter is declared,
     * except for a function without debug info, whose arguments go as written.
     */
    private Argument[] arguments(
            Emulator emulator,
            ProgramTypes types,
            CallExpression call,
            Prototype prototype,
            List<ScratchMemory> strings)
            throws CallFailedException, UnusableInputException {
        List<CallArgument> written = call.arguments();
        if (prototype.parameters().isPresent()
                && written.size() < prototype.parameters().get().size()) {
            throw inputError(
                    call,
                    call.functionColumn(),
                    "too few arguments in function call: '" + call.function() + "' takes "
                            + prototype.parameters().get().size() + " ("
                            + prototype.parameters().get().stream()
                                    .map(CType::name)
                                    .collect(Collectors.joining(", "))
                            + ")");
        }
        Argument[] arguments = new Argument[written.size()];
        for (int i = 0; i < arguments.length; i++) {
            CallArgument argument = written.get(i);
            boolean declared = prototype.parameters().isPresent()
                    && i < prototype.parameters().get().size();
            if (declared && prototype.parameters().get().get(i) instanceof StructType struct) {
                arguments[i] = structArgument(emulator, call, argument, struct);
                continue;
            }
            requireRegisterSized(emulator, call, argument);
            CValue value = evaluate(emulator, types, call, argument, strings);
            CType target = declared
                    ? prototype.parameters().get().get(i)
                    : prototype.promoteExtras() ? BuiltinTypes.promoted(value.type()) : value.type();
            requireIntegerUse(emulator, call, argument, target);
            try {
                value = value.convertTo(target);
            } catch (IllegalArgumentException e) {
                throw inputError(
                        call,
                        argument.column(),
                        "argument " + (i + 1) + " of '" + call.function() + "': " + e.getMessage());
            }
            arguments[i] = Argument.of(value.type(), value.bytes());
        }
        return arguments;
    }

    /**
     * A struct passed by value: a global of that struct type, its bytes read just before the call, as gdb passes
     * {@code fun1(foo1)}. The global's symbol must be the struct's size (its DWARF type is not read).
     */
    private Argument structArgument(Emulator emulator, CallExpression call, CallArgument argument, StructType struct)
            throws UnusableInputException {
        if (!(argument instanceof CallArgument.SymbolValue v)) {
            throw inputError(
                    call,
                    argument.column(),
                    "'" + call.function() + "' takes a " + struct.name() + " by value: pass a global of that type "
                            + "by its name");
        }
        Symbol symbol = symbol(emulator, call, v.symbol(), v.column());
        if (symbol.kind() != SymbolKind.OBJECT || symbol.size() != struct.byteSize()) {
            throw inputError(
                    call,
                    v.column(),
                    "'" + call.function() + "' takes a " + struct.name() + " (" + struct.byteSize() + " bytes) by "
                            + "value, and '" + v.symbol() + "' is "
                            + (symbol.kind() == SymbolKind.OBJECT ? symbol.size() + " bytes" : "no variable")
                            + ": pass a global of that type");
        }
        try {
            return Argument.of(struct, emulator.read(symbol.address(), Math.toIntExact(struct.byteSize())));
        } catch (RuntimeException unreadable) {
            throw inputError(
                    call,
                    v.column(),
                    "cannot read " + v.symbol() + " at 0x" + Long.toHexString(symbol.address()) + ": "
                            + emulator.describe(symbol.address()));
        }
    }

    /** A global passed as a scalar fits in a register: a larger one is an array or a struct. */
    private void requireRegisterSized(Emulator emulator, CallExpression call, CallArgument argument)
            throws UnusableInputException {
        if (argument instanceof CallArgument.SymbolValue v) {
            Symbol symbol = symbol(emulator, call, v.symbol(), v.column());
            boolean isFunction = symbol.kind() == SymbolKind.FUNCTION || symbol.kind() == SymbolKind.IFUNC;
            if (!isFunction && symbol.size() > 8) {
                throw inputError(
                        call,
                        v.column(),
                        "'" + v.symbol() + "' is " + symbol.size() + " bytes, more than an argument register holds:"
                                + " pass &" + v.symbol() + " for its address (a struct is passed by value only to a"
                                + " function whose debug info declares a struct parameter)");
            }
        }
    }

    /** The value an argument expression stands for, of its C type. */
    private CValue evaluate(
            Emulator emulator,
            ProgramTypes types,
            CallExpression call,
            CallArgument argument,
            List<ScratchMemory> strings)
            throws CallFailedException, UnusableInputException {
        if (argument instanceof CallArgument.IntegerLiteral i) {
            return CValue.ofInteger(resolve(types, call, i.type(), i.column()), i.value());
        } else if (argument instanceof CallArgument.DoubleLiteral d) {
            BaseType type = (BaseType) resolve(types, call, d.type(), d.column());
            // As C reads the literal: rounded once from the decimal text to its own type.
            return CValue.ofReal(type, Real.of(d.exact()));
        } else if (argument instanceof CallArgument.StringLiteral s) {
            ScratchMemory memory = emulator.reserve(s.bytes().length + 1L);
            strings.add(memory);
            byte[] terminated = new byte[s.bytes().length + 1];
            System.arraycopy(s.bytes(), 0, terminated, 0, s.bytes().length);
            memory.write(0, terminated);
            return CValue.ofInteger(PointerType.to(BuiltinTypes.CHAR), memory.address());
        } else if (argument instanceof CallArgument.AddressOf a) {
            Symbol symbol = symbol(emulator, call, a.symbol(), a.column());
            long address = symbol.isIfunc() ? emulator.resolveFunction(a.symbol()) : symbol.address();
            return CValue.ofInteger(PointerType.to(VoidType.INSTANCE), address);
        } else if (argument instanceof CallArgument.SymbolValue v) {
            Symbol symbol = symbol(emulator, call, v.symbol(), v.column());
            if (symbol.kind() == SymbolKind.FUNCTION || symbol.kind() == SymbolKind.IFUNC) {
                return CValue.ofInteger(PointerType.to(VoidType.INSTANCE), emulator.resolveFunction(v.symbol()));
            }
            int size = symbol.size() > 0 && symbol.size() < 8 ? (int) symbol.size() : 8;
            try {
                return CValue.ofInteger(BuiltinTypes.LONG, signExtend(emulator.read(symbol.address(), size)));
            } catch (RuntimeException unreadable) {
                throw inputError(
                        call,
                        v.column(),
                        "cannot read " + v.symbol() + " at 0x" + Long.toHexString(symbol.address()) + ": "
                                + emulator.describe(symbol.address()));
            }
        } else if (argument instanceof CallArgument.Casted c) {
            CValue operand = evaluate(emulator, types, call, c.operand(), strings);
            CType target = resolve(types, call, c.cast());
            requireIntegerUse(emulator, call, c.operand(), target);
            try {
                return operand.convertTo(target);
            } catch (IllegalArgumentException e) {
                throw inputError(call, c.column(), e.getMessage());
            }
        }
        throw new IllegalStateException("unknown argument " + argument);
    }

    /**
     * A global's value is read as an integer of its symbol's size (the variable's type is not read from DWARF):
     * right for the integers and pointers that are most globals, silently wrong for a double. So it may only
     * become an integer or a pointer.
     */
    private void requireIntegerUse(Emulator emulator, CallExpression call, CallArgument argument, CType target)
            throws UnusableInputException {
        if (!(argument instanceof CallArgument.SymbolValue v) || CValue.isIntegral(target)) {
            return;
        }
        SymbolKind kind = symbol(emulator, call, v.symbol(), v.column()).kind();
        if (kind != SymbolKind.FUNCTION && kind != SymbolKind.IFUNC) {
            throw inputError(
                    call,
                    v.column(),
                    "'" + v.symbol() + "' would be passed as " + target.name() + ", but corestub call reads a "
                            + "global's value as an integer (its type is not known here): pass the value as a "
                            + "literal, or &" + v.symbol() + " to a function that takes its address");
        }
    }

    private static CType resolve(ProgramTypes types, CallExpression call, Cast cast) throws UnusableInputException {
        return resolve(types, call, cast.type(), cast.column());
    }

    /** A written type as a C type: base types built in, other names from the program's DWARF. */
    private static CType resolve(ProgramTypes types, CallExpression call, TypeName name, int column)
            throws UnusableInputException {
        if (name instanceof TypeName.Pointer p) {
            return PointerType.to(resolve(types, call, p.target(), column));
        }
        if (name instanceof TypeName.Function f) {
            CType returnType = resolve(types, call, f.returnType(), column);
            List<CType> parameters = new ArrayList<>();
            for (TypeName parameter : f.parameters()) {
                parameters.add(resolve(types, call, parameter, column));
            }
            return new FunctionType(returnType, parameters, f.prototyped(), f.variadic(), f.spelling());
        }
        String named = ((TypeName.Named) name).name();
        if (BuiltinTypes.isBaseTypeName(named)) {
            return BuiltinTypes.named(named).orElseThrow();
        }
        Optional<CType> fromDwarf = types.type(named);
        if (fromDwarf.isPresent()) {
            return fromDwarf.get();
        }
        return BuiltinTypes.named(named)
                .orElseThrow(() -> inputError(
                        call,
                        column,
                        "no type named '" + named + "': no debug info of the program or its libraries defines it"));
    }

    private static long signExtend(byte[] littleEndian) {
        long value = 0;
        for (int i = littleEndian.length - 1; i >= 0; i--) {
            value = (value << 8) | (littleEndian[i] & 0xff);
        }
        int unused = 64 - 8 * littleEndian.length;
        return (value << unused) >> unused;
    }

    /** Every name the call refers to exists, before anything runs: a typo costs no partial output. */
    private void checkSymbols(Emulator emulator, CallExpression call) throws UnusableInputException {
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
                symbol(emulator, call, a.symbol(), a.column());
            } else if (argument instanceof CallArgument.SymbolValue v) {
                symbol(emulator, call, v.symbol(), v.column());
            }
        }
    }

    private Symbol symbol(Emulator emulator, CallExpression call, String name, int column)
            throws UnusableInputException {
        Symbol symbol = emulator.symbols()
                .lookup(name)
                .orElseThrow(() ->
                        inputError(call, column, "no symbol named '" + name + "' in " + core + " or its libraries"));
        if (symbol.kind() == SymbolKind.TLS) {
            throw inputError(
                    call,
                    column,
                    "'" + name + "' is thread-local: its value cannot be passed directly; "
                            + "call a function that reads it");
        }
        return symbol;
    }

    private static UnusableInputException inputError(CallExpression call, int column, String problem) {
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
