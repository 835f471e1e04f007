package io.coredumptools.emulator.call;

import io.coredumptools.elfcore.dwarf.AbiClassificationException;
import io.coredumptools.elfcore.dwarf.ArgumentLocation;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.dwarf.RegisterPiece;
import io.coredumptools.elfcore.dwarf.ReturnLocation;
import io.coredumptools.elfcore.dwarf.SysVCallLayout;
import io.coredumptools.elfcore.dwarf.SysVRegister;
import io.coredumptools.emulator.Argument;
import java.util.List;
import java.util.OptionalLong;

/**
 * The register and stack contents of one call under the System V AMD64 ABI, from {@link SysVCallLayout}: each
 * argument's bytes go to the register pieces or the stack offset its type is given. Registers are filled as
 * gdb fills them: a general register's unused upper bytes are zero, and so are an xmm register's.
 */
final class ArgumentPlacement {
    private static final int INTEGER_REGISTERS = SysVRegister.INTEGER_ARGUMENTS.size();
    private static final int VECTOR_REGISTERS = SysVRegister.VECTOR_ARGUMENTS.size();

    private final byte[][] integers = new byte[INTEGER_REGISTERS][];
    private final byte[][] vectors = new byte[VECTOR_REGISTERS][];
    private final byte[] stack;
    private final int vectorRegisters;
    private final ReturnLocation result;

    private ArgumentPlacement(SysVCallLayout layout) {
        this.stack = new byte[Math.toIntExact(layout.stackBytes())];
        this.vectorRegisters = layout.vectorRegisters();
        this.result = layout.returnValue();
    }

    /**
     * Places {@code arguments} for a callee returning {@code returnType}.
     *
     * @throws IllegalArgumentException when a type cannot be placed (incomplete, unsupported) or is passed by
     *     invisible reference (a C++ class with a non-trivial copy constructor: the caller must make the copy)
     */
    static ArgumentPlacement of(CType returnType, List<Argument> arguments) {
        SysVCallLayout layout;
        try {
            layout = SysVCallLayout.of(
                    returnType, arguments.stream().map(Argument::type).toList());
        } catch (AbiClassificationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        ArgumentPlacement placement = new ArgumentPlacement(layout);
        for (int i = 0; i < arguments.size(); i++) {
            placement.place(layout.arguments().get(i), arguments.get(i).bytes());
        }
        return placement;
    }

    private void place(ArgumentLocation location, byte[] value) {
        if (location.byReference()) {
            throw new IllegalArgumentException(location.type().name() + " is passed by invisible reference (a C++"
                    + " class with a non-trivial copy constructor or destructor): pass a pointer to a copy instead");
        }
        if (location.onStack()) {
            System.arraycopy(
                    value, 0, stack, Math.toIntExact(location.stackOffset().getAsLong()), value.length);
            return;
        }
        for (RegisterPiece piece : location.registers()) {
            byte[] register = register(piece.register());
            System.arraycopy(value, (int) piece.valueOffset(), register, piece.registerOffset(), piece.size());
        }
    }

    private byte[] register(SysVRegister register) {
        int integer = SysVRegister.INTEGER_ARGUMENTS.indexOf(register);
        if (integer >= 0) {
            if (integers[integer] == null) {
                integers[integer] = new byte[8];
            }
            return integers[integer];
        }
        int vector = SysVRegister.VECTOR_ARGUMENTS.indexOf(register);
        if (vector < 0) {
            throw new IllegalStateException("no argument register " + register);
        }
        if (vectors[vector] == null) {
            vectors[vector] = new byte[16];
        }
        return vectors[vector];
    }

    /** The value of the {@code index}th integer argument register (rdi = 0), empty when no argument uses it. */
    OptionalLong integerRegister(int index) {
        byte[] bytes = integers[index];
        return bytes == null
                ? OptionalLong.empty()
                : OptionalLong.of(io.coredumptools.elfcore.LittleEndian.i64(bytes, 0));
    }

    /** The 16 bytes of xmm{@code index}, or null when no argument uses it. */
    byte[] vectorRegister(int index) {
        return vectors[index] == null ? null : vectors[index].clone();
    }

    /** How many xmm registers carry arguments: %al for a variadic callee. */
    int vectorRegisters() {
        return vectorRegisters;
    }

    /** The argument area: its first byte is at rsp + 8 on entry (above the return address). */
    byte[] stack() {
        return stack.clone();
    }

    /** Where the result comes back; when in memory, the caller passes the buffer in rdi. */
    ReturnLocation result() {
        return result;
    }
}
