package io.coredumptools.cli.expr;

import java.nio.charset.StandardCharsets;

/** One argument of a {@link CallExpression}, as written; {@code column} is where it starts (0-based). */
public sealed interface CallArgument {

    int column();

    /** How the argument is written back, e.g. {@code "bob"}, {@code &counter}, {@code 0x10}. */
    String text();

    /** An integer literal (decimal, {@code 0x} hex, negative, or a character {@code 'a'}): an integer register. */
    record IntegerLiteral(long value, String text, int column) implements CallArgument {}

    /** A literal with a dot or an exponent: passed as a double (XMM register). */
    record DoubleLiteral(double value, String text, int column) implements CallArgument {}

    /** A string literal: its bytes (escapes resolved, without the terminating NUL) placed in scratch memory. */
    record StringLiteral(byte[] bytes, String text, int column) implements CallArgument {
        public String value() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** {@code &symbol}: the symbol's address. */
    record AddressOf(String symbol, int column) implements CallArgument {
        @Override
        public String text() {
            return "&" + symbol;
        }
    }

    /**
     * A bare name: the value stored at that global (8 bytes, or its size when smaller, sign-extended), or
     * the address of a function, as C and gdb treat {@code point_sum(gp)} and {@code qsort(..., cmp)}.
     */
    record SymbolValue(String symbol, int column) implements CallArgument {
        @Override
        public String text() {
            return symbol;
        }
    }
}
