package io.coredumptools.cli;

import io.coredumptools.cli.expr.ResultCast;
import io.coredumptools.emulator.CallResult;
import java.io.ByteArrayOutputStream;

/** How {@code corestub call} prints a result, close to what gdb's {@code print} shows for the same call. */
final class CallResultFormat {
    /** gdb's default {@code set print elements 200}: longer strings end in {@code ...}. */
    static final int STRING_LIMIT = 200;
    /** gdb's default {@code set print repeats 10}: longer runs of one character print as {@code <repeats N times>}. */
    static final int REPEAT_THRESHOLD = 10;

    private CallResultFormat() {}

    /**
     * The result line for {@code cast}, or null for {@code (void)}. {@code memory} reads the process's
     * memory for {@code (char*)} and throws a RuntimeException where there is none.
     */
    static String format(ResultCast cast, CallResult result, MemoryReader memory) {
        return switch (cast) {
            case NONE, LONG -> Long.toString(result.rax());
            case INT -> Integer.toString((int) result.rax());
            case DOUBLE -> formatDouble(result.xmm0());
            case CHAR_POINTER -> formatCharPointer(result.rax(), memory);
            case VOID -> null;
        };
    }

    /** Reads one byte of the process; throws a RuntimeException when the address has no memory. */
    @FunctionalInterface
    interface MemoryReader {
        byte read(long address);
    }

    /** {@code 0x55555555a6b0 "hello, bob!"}, {@code 0x0}, or {@code 0x10 <error: Cannot access memory at address 0x10>}. */
    static String formatCharPointer(long pointer, MemoryReader memory) {
        String address = "0x" + Long.toHexString(pointer);
        if (pointer == 0) {
            return address;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean terminated = false;
        long at = pointer;
        try {
            for (int i = 0; i < STRING_LIMIT; i++, at++) {
                byte b = memory.read(at);
                if (b == 0) {
                    terminated = true;
                    break;
                }
                bytes.write(b);
            }
            if (!terminated && memory.read(at) == 0) {
                terminated = true;
            }
        } catch (RuntimeException unreadable) {
            if (bytes.size() == 0) {
                return address + " <error: Cannot access memory at address 0x" + Long.toHexString(at) + ">";
            }
            return address + " " + quote(bytes.toByteArray()) + "<error: Cannot access memory at address 0x"
                    + Long.toHexString(at) + ">";
        }
        return address + " " + quote(bytes.toByteArray()) + (terminated ? "" : "...");
    }

    /**
     * A C string as gdb prints it: in double quotes, with {@code \n \t \" \\} and the like escaped, other
     * control and non-ASCII bytes as octal ({@code \033}), and runs of more than 10 equal bytes as
     * {@code 'a' <repeats 30 times>}.
     */
    static String quote(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        boolean inString = false;
        int i = 0;
        while (i < bytes.length) {
            int run = 1;
            while (i + run < bytes.length && bytes[i + run] == bytes[i]) {
                run++;
            }
            if (run > REPEAT_THRESHOLD) {
                if (inString) {
                    s.append("\", ");
                    inString = false;
                } else if (s.length() > 0) {
                    s.append(", ");
                }
                s.append('\'')
                        .append(escape(bytes[i], '\''))
                        .append("' <repeats ")
                        .append(run)
                        .append(" times>");
                i += run;
                continue;
            }
            if (!inString) {
                if (s.length() > 0) {
                    s.append(", ");
                }
                s.append('"');
                inString = true;
            }
            for (int k = 0; k < run; k++) {
                s.append(escape(bytes[i], '"'));
            }
            i += run;
        }
        if (inString) {
            s.append('"');
        }
        return s.length() == 0 ? "\"\"" : s.toString();
    }

    private static String escape(byte b, char quote) {
        int c = b & 0xff;
        return switch (c) {
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            case 7 -> "\\a";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case 11 -> "\\v";
            case '\\' -> "\\\\";
            default -> {
                if (c == quote) {
                    yield "\\" + quote;
                }
                if (c < 0x20 || c >= 0x7f) {
                    yield String.format("\\%03o", c);
                }
                yield String.valueOf((char) c);
            }
        };
    }

    /**
     * The shortest text that reads back as the same double, written as C would: {@code 4.5}, {@code 3} (not
     * 3.0), {@code 1e+20}, {@code 1.5e-07}, {@code inf}, {@code -inf}, {@code nan}.
     */
    static String formatDouble(double value) {
        if (Double.isNaN(value)) {
            return (Double.doubleToRawLongBits(value) < 0 ? "-" : "") + "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        String java = Double.toString(value);
        int e = java.indexOf('E');
        String mantissa = e < 0 ? java : java.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        if (e < 0) {
            return mantissa;
        }
        int exponent = Integer.parseInt(java.substring(e + 1));
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
}
