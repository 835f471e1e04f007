package io.coredumptools.cli.expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One argument of a {@link CallExpression}, as written; {@code column} is where it starts (0-based). */
public sealed interface CallArgument {

    int column();

    /** How the argument is written back, e.g. {@code "bob"}, {@code &counter}, {@code 0x10}. */
    String text();

    /**
     * An integer literal (decimal, {@code 0x} hex, octal, negative, or a character {@code 'a'}), of the type C
     * gives it ({@link #type()}).
     */
    record IntegerLiteral(long value, String text, int column) implements CallArgument {
        private static final BigInteger INT_LIMIT = BigInteger.ONE.shiftLeft(31);
        private static final BigInteger UNSIGNED_INT_LIMIT = BigInteger.ONE.shiftLeft(32);
        private static final BigInteger LONG_LIMIT = BigInteger.ONE.shiftLeft(63);

        /**
         * The literal's C type: {@code char} for a character; else the first of int, long, unsigned long (for
         * hex and octal: int, unsigned int, long, unsigned long) that holds its magnitude, as its u and l
         * suffixes allow.
         */
        public TypeName type() {
            if (text.startsWith("'")) {
                return new TypeName.Named("char");
            }
            String lower = text.toLowerCase(Locale.ROOT);
            int end = lower.length();
            while (end > 0 && (lower.charAt(end - 1) == 'u' || lower.charAt(end - 1) == 'l')) {
                end--;
            }
            String suffix = lower.substring(end);
            boolean unsigned = suffix.contains("u");
            boolean isLong = suffix.contains("l");
            String digits = lower.substring(0, end).replaceFirst("^[-+]", "");
            boolean decimal = !(digits.startsWith("0") && digits.length() > 1);
            BigInteger magnitude = digits.startsWith("0x")
                    ? new BigInteger(digits.substring(2), 16)
                    : new BigInteger(digits, decimal ? 10 : 8);
            if (!isLong && !unsigned && magnitude.compareTo(INT_LIMIT) < 0) {
                return new TypeName.Named("int");
            }
            if (!isLong && (unsigned || !decimal) && magnitude.compareTo(UNSIGNED_INT_LIMIT) < 0) {
                return new TypeName.Named("unsigned int");
            }
            if (!unsigned && magnitude.compareTo(LONG_LIMIT) < 0) {
                return new TypeName.Named("long");
            }
            return new TypeName.Named("unsigned long");
        }
    }

    /**
     * A literal with a dot or an exponent: a double, a float with an f suffix, a long double with an l suffix.
     */
    record DoubleLiteral(double value, String text, int column) implements CallArgument {
        public TypeName type() {
            return switch (suffix()) {
                case 'f' -> new TypeName.Named("float");
                case 'l' -> new TypeName.Named("long double");
                default -> new TypeName.Named("double");
            };
        }

        /** The value exactly as written (a long double literal holds more than a double). */
        public BigDecimal exact() {
            String digits = suffix() == 0 ? text : text.substring(0, text.length() - 1);
            return new BigDecimal(digits.startsWith("+") ? digits.substring(1) : digits);
        }

        private char suffix() {
            char last = Character.toLowerCase(text.charAt(text.length() - 1));
            return last == 'f' || last == 'l' ? last : 0;
        }
    }

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

    /** {@code (TYPE) operand}: the operand converted to TYPE, as C converts it. */
    record Casted(Cast cast, CallArgument operand) implements CallArgument {
        @Override
        public int column() {
            return cast.column();
        }

        @Override
        public String text() {
            return "(" + cast.type().spelling() + ")" + operand.text();
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
