package io.coredumptools.cli;

import io.coredumptools.cli.value.CValue;
import io.coredumptools.elfcore.dwarf.ArrayType;
import io.coredumptools.elfcore.dwarf.BaseEncoding;
import io.coredumptools.elfcore.dwarf.BaseType;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.dwarf.EnumType;
import io.coredumptools.elfcore.dwarf.Member;
import io.coredumptools.elfcore.dwarf.PointerType;
import io.coredumptools.elfcore.dwarf.StructType;
import io.coredumptools.elfcore.dwarf.VoidType;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** How {@code corestub call} prints a result, close to what gdb's {@code print} shows for the same call. */
final class CallResultFormat {
    /** gdb's default {@code set print elements 200}: longer strings end in {@code ...}. */
    static final int STRING_LIMIT = 200;
    /** gdb's default {@code set print repeats 10}: longer runs of one character print as {@code <repeats N times>}. */
    static final int REPEAT_THRESHOLD = 10;

    private CallResultFormat() {}

    /**
     * The result line as gdb's {@code print} shows the value (without the {@code $N = }), or null for void.
     * {@code memory} reads the process's memory for the string a {@code char *} points to, and throws a
     * RuntimeException where there is none.
     */
    static String format(CValue value, MemoryReader memory) {
        CType type = value.type();
        if (type instanceof VoidType) {
            return null;
        }
        if (type instanceof PointerType pointer && !isCharacter(pointer.target())) {
            return "(" + type.name() + ") " + formatValue(value, memory);
        }
        return formatValue(value, memory);
    }

    /** A value as gdb prints it inside an aggregate: pointers without their type. */
    private static String formatValue(CValue value, MemoryReader memory) {
        CType type = value.type();
        if (type instanceof PointerType pointer) {
            long address = value.integer().longValue();
            return isCharacter(pointer.target())
                    ? formatCharPointer(address, memory)
                    : "0x" + Long.toHexString(address);
        }
        if (type instanceof EnumType e) {
            long number = value.integer().longValue();
            return e.enumerators().stream()
                    .filter(n -> n.value() == number)
                    .map(EnumType.Enumerator::name)
                    .findFirst()
                    .orElse(Long.toString(number));
        }
        if (type instanceof BaseType base) {
            if (CValue.isFloating(base)) {
                return value.real().toGdbString(CValue.mantissaBits(base));
            }
            if (base.encoding() == BaseEncoding.BOOLEAN) {
                return value.integer().signum() == 0 ? "false" : "true";
            }
            if (isCharacter(base)) {
                byte b = value.bytes()[0];
                return value.integer() + " '" + escape(b, '\'') + "'";
            }
            if (base.encoding().isInteger()) {
                return value.integer().toString();
            }
        }
        if (type instanceof StructType struct && struct.complete()) {
            return formatStruct(struct, value.bytes(), memory);
        }
        if (type instanceof ArrayType array && array.count().isPresent()) {
            return formatArray(array, value.bytes(), memory);
        }
        return "<" + type.name() + ": cannot be printed>";
    }

    private static String formatStruct(StructType struct, byte[] bytes, MemoryReader memory) {
        StringBuilder s = new StringBuilder("{");
        for (Member member : struct.members()) {
            if (s.length() > 1) {
                s.append(", ");
            }
            if (!member.name().isEmpty()) {
                s.append(member.name()).append(" = ");
            }
            s.append(formatValue(memberValue(member, bytes), memory));
        }
        return s.append("}").toString();
    }

    /** A member's value; a bit-field's bits widened to its type. */
    private static CValue memberValue(Member member, byte[] bytes) {
        int size = Math.toIntExact(member.type().byteSize());
        if (!member.isBitField()) {
            return new CValue(
                    member.type(), Arrays.copyOfRange(bytes, (int) member.offset(), (int) member.offset() + size));
        }
        BigInteger all = new BigInteger(1, reversed(bytes));
        BigInteger bits = all.shiftRight((int) member.bitOffset())
                .and(BigInteger.ONE.shiftLeft(member.bitSize()).subtract(BigInteger.ONE));
        if (CValue.isSigned(member.type()) && bits.testBit(member.bitSize() - 1)) {
            bits = bits.subtract(BigInteger.ONE.shiftLeft(member.bitSize()));
        }
        return CValue.ofInteger(member.type(), bits);
    }

    private static byte[] reversed(byte[] bytes) {
        byte[] r = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            r[i] = bytes[bytes.length - 1 - i];
        }
        return r;
    }

    /**
     * An array as gdb prints it: {@code {1, 2, 3}}, runs of more than 10 equal elements as {@code 0 <repeats 16
     * times>}; a char array as a string without its last NUL.
     */
    private static String formatArray(ArrayType array, byte[] bytes, MemoryReader memory) {
        int count = (int) array.count().getAsLong();
        int size = Math.toIntExact(array.element().byteSize());
        if (isCharacter(array.element())) {
            int length = Math.min(count, STRING_LIMIT);
            byte[] text = Arrays.copyOf(bytes, length);
            if (length == count && length > 0 && text[length - 1] == 0) {
                text = Arrays.copyOf(text, length - 1);
            }
            return quote(text) + (count > STRING_LIMIT ? "..." : "");
        }
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < count && i < STRING_LIMIT; i++) {
            elements.add(formatValue(
                    new CValue(array.element(), Arrays.copyOfRange(bytes, i * size, (i + 1) * size)), memory));
        }
        StringBuilder s = new StringBuilder("{");
        int i = 0;
        while (i < elements.size()) {
            int run = 1;
            while (i + run < elements.size() && elements.get(i + run).equals(elements.get(i))) {
                run++;
            }
            if (s.length() > 1) {
                s.append(", ");
            }
            if (run > REPEAT_THRESHOLD) {
                s.append(elements.get(i)).append(" <repeats ").append(run).append(" times>");
                i += run;
            } else {
                s.append(elements.get(i));
                i++;
            }
        }
        return s.append(count > STRING_LIMIT ? "..." : "").append("}").toString();
    }

    /** char, signed char, unsigned char: printed with their character, and pointed to as strings. */
    private static boolean isCharacter(CType type) {
        return type instanceof BaseType b
                && b.byteSize() == 1
                && (b.encoding() == BaseEncoding.SIGNED_CHAR || b.encoding() == BaseEncoding.UNSIGNED_CHAR);
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
}
