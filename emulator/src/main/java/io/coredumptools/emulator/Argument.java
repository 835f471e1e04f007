package io.coredumptools.emulator;

import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.dwarf.BaseEncoding;
import io.coredumptools.elfcore.dwarf.BaseType;
import io.coredumptools.elfcore.dwarf.CType;
import java.util.Arrays;

/**
 * An argument of a call: a value of a C type in its memory representation, placed as the System V AMD64 ABI
 * says for that type ({@link io.coredumptools.elfcore.dwarf.SysVCallLayout}): integers and pointers in rdi, rsi,
 * rdx, rcx, r8, r9; float (in the low 4 bytes) and double in xmm0-xmm7; long double (x87) and large structs on
 * the stack; small structs split into eightbytes of either kind; whatever no longer fits in registers on the
 * stack. The value must already be of the type the callee reads: converted to the parameter's type, and
 * promoted (float to double, char to int) for a variadic or unprototyped callee.
 */
public sealed interface Argument {
    /** {@code long}: the type of {@link #of(long)} and the default return type of a call. */
    CType LONG = new BaseType("long", BaseEncoding.SIGNED, 8);

    CType DOUBLE = new BaseType("double", BaseEncoding.FLOAT, 8);

    /** The value's C type: what the calling convention classifies. */
    CType type();

    /** The value as it lies in memory: {@code type().byteSize()} little-endian bytes. */
    byte[] bytes();

    /** A 64-bit integer or pointer: the next free of RDI, RSI, RDX, RCX, R8, R9, then the stack. */
    record Integer(long value) implements Argument {
        @Override
        public CType type() {
            return LONG;
        }

        @Override
        public byte[] bytes() {
            return LittleEndian.ofLong(value);
        }
    }

    /** A double: the next free of XMM0–XMM7, then the stack. */
    record Double(double value) implements Argument {
        @Override
        public CType type() {
            return DOUBLE;
        }

        @Override
        public byte[] bytes() {
            return LittleEndian.ofLong(java.lang.Double.doubleToRawLongBits(value));
        }
    }

    /** A value of any type that can be passed by value, given by its bytes. */
    record Typed(CType type, byte[] value) implements Argument {
        public Typed {
            if (value.length != type.byteSize()) {
                throw new IllegalArgumentException(
                        type.name() + " is " + type.byteSize() + " bytes, the value " + value.length);
            }
            value = value.clone();
        }

        @Override
        public byte[] bytes() {
            return value.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Typed t && t.type.equals(type) && Arrays.equals(t.value, value);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Typed[" + type.name() + ", " + java.util.HexFormat.of().formatHex(value) + "]";
        }
    }

    static Argument of(long value) {
        return new Integer(value);
    }

    static Argument of(double value) {
        return new Double(value);
    }

    /** A value of {@code type} in its memory representation. */
    static Argument of(CType type, byte[] value) {
        return new Typed(type, value);
    }
}
