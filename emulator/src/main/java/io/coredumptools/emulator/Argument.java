package io.coredumptools.emulator;

/** An argument of a call, placed as the System V AMD64 ABI says. */
public sealed interface Argument {
    /** An integer or pointer: RDI, RSI, RDX, RCX, R8, R9, then the stack. */
    record Integer(long value) implements Argument {}

    /** A double: XMM0–XMM7, then the stack. */
    record Double(double value) implements Argument {}

    static Argument of(long value) {
        return new Integer(value);
    }

    static Argument of(double value) {
        return new Double(value);
    }
}
