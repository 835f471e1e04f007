package io.coredumptools.cli;

import io.coredumptools.cli.expr.CallArgument;
import io.coredumptools.cli.expr.CallExpression;
import io.coredumptools.cli.expr.Cast;
import io.coredumptools.cli.expr.TypeName;
import io.coredumptools.cli.value.BuiltinTypes;
import io.coredumptools.cli.value.CValue;
import io.coredumptools.cli.value.Real;
import io.coredumptools.elfcore.dwarf.BaseType;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.dwarf.FunctionSignature;
import io.coredumptools.elfcore.dwarf.FunctionType;
import io.coredumptools.elfcore.dwarf.PointerType;
import io.coredumptools.elfcore.dwarf.StructType;
import io.coredumptools.elfcore.dwarf.UnsupportedType;
import io.coredumptools.elfcore.dwarf.VoidType;
import io.coredumptools.elfcore.symbols.Symbol;
import io.coredumptools.elfcore.symbols.SymbolKind;
import io.coredumptools.emulator.Argument;
import io.coredumptools.emulator.CallFailedException;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.ScratchMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one call expression becomes a call, as gdb makes it: the callee's prototype (a function-pointer cast, or
 * the DWARF of the function the name resolves to, or none), the C types of the cast and of each argument, and
 * the conversions and promotions that turn the arguments into {@link Argument}s of the parameter types.
 */
final class CallBinding {
    private static final Logger LOG = LoggerFactory.getLogger(CallBinding.class);

    private final Emulator emulator;
    private final ProgramTypes types;
    private final String core; // a path or a URL, for messages

    CallBinding(Emulator emulator, ProgramTypes types, String core) {
        this.emulator = emulator;
        this.types = types;
        this.core = core;
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
    record Prototype(
            Optional<CType> returnType, Optional<List<CType>> parameters, boolean variadic, boolean promoteExtras) {}

    Prototype prototype(CallExpression call, long function) throws UnusableInputException {
        if (call.functionCast().isPresent()) {
            CType cast = resolve(call, call.functionCast().get());
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
    Argument[] arguments(CallExpression call, Prototype prototype, List<ScratchMemory> strings)
            throws CallFailedException, UnusableInputException {
        List<CallArgument> written = call.arguments();
        if (prototype.parameters().isPresent()
                && written.size() < prototype.parameters().get().size()) {
            throw CallCommand.inputError(
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
                arguments[i] = structArgument(call, argument, struct);
                continue;
            }
            requireRegisterSized(call, argument);
            CValue value = evaluate(call, argument, strings);
            CType target = declared
                    ? prototype.parameters().get().get(i)
                    : prototype.promoteExtras() ? BuiltinTypes.promoted(value.type()) : value.type();
            requireIntegerUse(call, argument, target);
            try {
                value = value.convertTo(target);
            } catch (IllegalArgumentException e) {
                throw CallCommand.inputError(
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
    private Argument structArgument(CallExpression call, CallArgument argument, StructType struct)
            throws UnusableInputException {
        if (!(argument instanceof CallArgument.SymbolValue v)) {
            throw CallCommand.inputError(
                    call,
                    argument.column(),
                    "'" + call.function() + "' takes a " + struct.name() + " by value: pass a global of that type "
                            + "by its name");
        }
        Symbol symbol = symbol(call, v.symbol(), v.column());
        if (symbol.kind() != SymbolKind.OBJECT || symbol.size() != struct.byteSize()) {
            throw CallCommand.inputError(
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
            throw CallCommand.inputError(
                    call,
                    v.column(),
                    "cannot read " + v.symbol() + " at 0x" + Long.toHexString(symbol.address()) + ": "
                            + emulator.describe(symbol.address()));
        }
    }

    /** A global passed as a scalar fits in a register: a larger one is an array or a struct. */
    private void requireRegisterSized(CallExpression call, CallArgument argument) throws UnusableInputException {
        if (argument instanceof CallArgument.SymbolValue v) {
            Symbol symbol = symbol(call, v.symbol(), v.column());
            boolean isFunction = symbol.kind() == SymbolKind.FUNCTION || symbol.kind() == SymbolKind.IFUNC;
            if (!isFunction && symbol.size() > 8) {
                throw CallCommand.inputError(
                        call,
                        v.column(),
                        "'" + v.symbol() + "' is " + symbol.size() + " bytes, more than an argument register holds:"
                                + " pass &" + v.symbol() + " for its address (a struct is passed by value only to a"
                                + " function whose debug info declares a struct parameter)");
            }
        }
    }

    /** The value an argument expression stands for, of its C type. */
    private CValue evaluate(CallExpression call, CallArgument argument, List<ScratchMemory> strings)
            throws CallFailedException, UnusableInputException {
        if (argument instanceof CallArgument.IntegerLiteral i) {
            return CValue.ofInteger(resolve(call, i.type(), i.column()), i.value());
        } else if (argument instanceof CallArgument.DoubleLiteral d) {
            BaseType type = (BaseType) resolve(call, d.type(), d.column());
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
            Symbol symbol = symbol(call, a.symbol(), a.column());
            long address = symbol.isIfunc() ? emulator.resolveFunction(a.symbol()) : symbol.address();
            return CValue.ofInteger(PointerType.to(VoidType.INSTANCE), address);
        } else if (argument instanceof CallArgument.SymbolValue v) {
            Symbol symbol = symbol(call, v.symbol(), v.column());
            if (symbol.kind() == SymbolKind.FUNCTION || symbol.kind() == SymbolKind.IFUNC) {
                return CValue.ofInteger(PointerType.to(VoidType.INSTANCE), emulator.resolveFunction(v.symbol()));
            }
            int size = symbol.size() > 0 && symbol.size() < 8 ? (int) symbol.size() : 8;
            try {
                return CValue.ofInteger(BuiltinTypes.LONG, signExtend(emulator.read(symbol.address(), size)));
            } catch (RuntimeException unreadable) {
                throw CallCommand.inputError(
                        call,
                        v.column(),
                        "cannot read " + v.symbol() + " at 0x" + Long.toHexString(symbol.address()) + ": "
                                + emulator.describe(symbol.address()));
            }
        } else if (argument instanceof CallArgument.Casted c) {
            CValue operand = evaluate(call, c.operand(), strings);
            CType target = resolve(call, c.cast());
            requireIntegerUse(call, c.operand(), target);
            try {
                return operand.convertTo(target);
            } catch (IllegalArgumentException e) {
                throw CallCommand.inputError(call, c.column(), e.getMessage());
            }
        }
        throw new IllegalStateException("unknown argument " + argument);
    }

    /**
     * A global's value is read as an integer of its symbol's size (the variable's type is not read from DWARF):
     * right for the integers and pointers that are most globals, silently wrong for a double. So it may only
     * become an integer or a pointer.
     */
    private void requireIntegerUse(CallExpression call, CallArgument argument, CType target)
            throws UnusableInputException {
        if (!(argument instanceof CallArgument.SymbolValue v) || CValue.isIntegral(target)) {
            return;
        }
        SymbolKind kind = symbol(call, v.symbol(), v.column()).kind();
        if (kind != SymbolKind.FUNCTION && kind != SymbolKind.IFUNC) {
            throw CallCommand.inputError(
                    call,
                    v.column(),
                    "'" + v.symbol() + "' would be passed as " + target.name() + ", but corestub call reads a "
                            + "global's value as an integer (its type is not known here): pass the value as a "
                            + "literal, or &" + v.symbol() + " to a function that takes its address");
        }
    }

    CType resolve(CallExpression call, Cast cast) throws UnusableInputException {
        return resolve(call, cast.type(), cast.column());
    }

    /** A written type as a C type: base types built in, other names from the program's DWARF. */
    CType resolve(CallExpression call, TypeName name, int column) throws UnusableInputException {
        if (name instanceof TypeName.Pointer p) {
            return PointerType.to(resolve(call, p.target(), column));
        }
        if (name instanceof TypeName.Function f) {
            CType returnType = resolve(call, f.returnType(), column);
            List<CType> parameters = new ArrayList<>();
            for (TypeName parameter : f.parameters()) {
                parameters.add(resolve(call, parameter, column));
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
                .orElseThrow(() -> CallCommand.inputError(
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

    Symbol symbol(CallExpression call, String name, int column) throws UnusableInputException {
        Symbol symbol = emulator.symbols()
                .lookup(name)
                .orElseThrow(() -> CallCommand.inputError(
                        call, column, "no symbol named '" + name + "' in " + core + " or its libraries"));
        if (symbol.kind() == SymbolKind.TLS) {
            throw CallCommand.inputError(
                    call,
                    column,
                    "'" + name + "' is thread-local: its value cannot be passed directly; "
                            + "call a function that reads it");
        }
        return symbol;
    }
}
