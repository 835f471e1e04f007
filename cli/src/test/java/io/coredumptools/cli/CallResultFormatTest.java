package io.coredumptools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.cli.value.BuiltinTypes;
import io.coredumptools.cli.value.CValue;
import io.coredumptools.cli.value.Real;
import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.dwarf.BaseType;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.dwarf.Member;
import io.coredumptools.elfcore.dwarf.PointerType;
import io.coredumptools.elfcore.dwarf.StructType;
import io.coredumptools.elfcore.dwarf.VoidType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallResultFormatTest {
    private static final CallResultFormat.MemoryReader NO_MEMORY = address -> {
        throw new IllegalStateException("no memory at " + address);
    };

    private static String format(CType type, long value) {
        return CallResultFormat.format(CValue.ofInteger(type, value), NO_MEMORY);
    }

    private static String format(String type, double value) {
        BaseType base = (BaseType) BuiltinTypes.named(type).orElseThrow();
        return CallResultFormat.format(CValue.ofReal(base, Real.of(value)), NO_MEMORY);
    }

    /** Memory holding {@code bytes} at 0x1000; nothing elsewhere. */
    private static CallResultFormat.MemoryReader memory(byte[] bytes) {
        return address -> {
            if (address < 0x1000 || address >= 0x1000 + bytes.length) {
                throw new IllegalStateException("unmapped");
            }
            return bytes[(int) (address - 0x1000)];
        };
    }

    @Test
    void integersAsTheirTypeSays() {
        assertThat(format(BuiltinTypes.LONG, -1)).isEqualTo("-1");
        assertThat(format(BuiltinTypes.LONG, 4999950000L)).isEqualTo("4999950000");
        assertThat(format(BuiltinTypes.INT, 0xffffffffL)).isEqualTo("-1");
        assertThat(format(BuiltinTypes.INT, 0x1_0000_002aL)).isEqualTo("42");
        assertThat(format(BuiltinTypes.UNSIGNED_INT, -1)).isEqualTo("4294967295");
        assertThat(format(BuiltinTypes.UNSIGNED_LONG, -1)).isEqualTo("18446744073709551615");
        assertThat(format(BuiltinTypes.named("_Bool").orElseThrow(), 1)).isEqualTo("true");
        assertThat(CallResultFormat.format(new CValue(VoidType.INSTANCE, new byte[0]), NO_MEMORY))
                .isNull();
    }

    @Test
    void charactersWithTheirCharacterAsGdbPrintsThem() {
        assertThat(format(BuiltinTypes.CHAR, 'a')).isEqualTo("97 'a'");
        assertThat(format(BuiltinTypes.CHAR, 0)).isEqualTo("0 '\\000'");
        assertThat(format(BuiltinTypes.CHAR, 200)).isEqualTo("-56 '\\310'");
        assertThat(format(BuiltinTypes.named("unsigned char").orElseThrow(), 200))
                .isEqualTo("200 '\\310'");
        assertThat(format(BuiltinTypes.CHAR, '\n')).isEqualTo("10 '\\n'");
    }

    /** What gdb 13 prints for the same values ({@code print 1.1}, {@code print 1.1f}, ...): %g with DECIMAL_DIG. */
    @Test
    void floatingPointWithTheDigitsGdbPrints() {
        assertThat(format("double", 4.5)).isEqualTo("4.5");
        assertThat(format("double", 11)).isEqualTo("11");
        assertThat(format("double", -0.25)).isEqualTo("-0.25");
        assertThat(format("double", 1.1)).isEqualTo("1.1000000000000001");
        assertThat(format("float", 1.1)).isEqualTo("1.10000002");
        assertThat(format("long double", 1.1)).isEqualTo("1.10000000000000008882");
        assertThat(format("double", 1e20)).isEqualTo("1e+20");
        assertThat(format("double", 1.5e-7)).isEqualTo("1.4999999999999999e-07");
        assertThat(format("double", 123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
        assertThat(format("double", 0.0001)).isEqualTo("0.0001");
        assertThat(format("double", 0.00001)).isEqualTo("1.0000000000000001e-05");
        assertThat(format("double", Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(format("double", Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(format("double", Double.longBitsToDouble(0xfff8000000000000L)))
                .isEqualTo("-nan(0x8000000000000)");
        assertThat(format("float", 3.25)).isEqualTo("3.25");
    }

    @Test
    void pointersOtherThanStringsShowTheirType() {
        CType voidPointer = PointerType.to(VoidType.INSTANCE);
        assertThat(format(voidPointer, 0x1234)).isEqualTo("(void *) 0x1234");
        assertThat(format(PointerType.to(BuiltinTypes.INT), 0)).isEqualTo("(int *) 0x0");
    }

    @Test
    void structsMemberByMember() {
        StructType pair = new StructType(
                StructType.Kind.STRUCT,
                "struct pair",
                16,
                8,
                List.of(
                        new Member("d", 0, BuiltinTypes.DOUBLE, "double", 0, 0),
                        new Member("n", 8, BuiltinTypes.INT, "int", 0, 64),
                        new Member("c", 12, BuiltinTypes.CHAR, "char", 0, 96)),
                true,
                false);
        byte[] bytes = new byte[16];
        LittleEndian.put64(bytes, 0, Double.doubleToRawLongBits(2.5));
        LittleEndian.put32(bytes, 8, -3);
        bytes[12] = 'x';
        assertThat(CallResultFormat.format(new CValue(pair, bytes), NO_MEMORY))
                .isEqualTo("{d = 2.5, n = -3, c = 120 'x'}");
    }

    @Test
    void charPointerShowsAddressAndQuotedString() {
        byte[] text = "hello, bob!\0".getBytes(StandardCharsets.US_ASCII);
        assertThat(CallResultFormat.format(CValue.ofInteger(PointerType.to(BuiltinTypes.CHAR), 0x1000), memory(text)))
                .isEqualTo("0x1000 \"hello, bob!\"");
        assertThat(CallResultFormat.formatCharPointer(0, NO_MEMORY)).isEqualTo("0x0");
        assertThat(CallResultFormat.formatCharPointer(0x10, NO_MEMORY))
                .isEqualTo("0x10 <error: Cannot access memory at address 0x10>");
    }

    @Test
    void unterminatedOrLongStringsAreCut() {
        byte[] noNul = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(CallResultFormat.formatCharPointer(0x1000, memory(noNul)))
                .isEqualTo("0x1000 \"abc\"<error: Cannot access memory at address 0x1003>");
        byte[] longText = new byte[300];
        for (int i = 0; i < 300; i++) {
            longText[i] = (byte) ('a' + i % 26);
        }
        String printed = CallResultFormat.formatCharPointer(0x1000, memory(longText));
        assertThat(printed).endsWith("\"...").hasSize("0x1000 \"".length() + 200 + "\"...".length());
    }

    @Test
    void quotingEscapesLikeGdb() {
        assertThat(CallResultFormat.quote("a\"b\\c\n\t\r".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("\"a\\\"b\\\\c\\n\\t\\r\"");
        assertThat(CallResultFormat.quote(new byte[] {27, 'x', (byte) 0xc3, (byte) 0xa9, 1}))
                .isEqualTo("\"\\033x\\303\\251\\001\"");
        assertThat(CallResultFormat.quote(new byte[0])).isEqualTo("\"\"");
        assertThat(CallResultFormat.quote("it's".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("\"it's\"");
    }

    @Test
    void longRunsAreRepeats() {
        byte[] bytes = new byte[14];
        Arrays.fill(bytes, (byte) 'x');
        bytes[0] = 'a';
        bytes[13] = 'b';
        assertThat(CallResultFormat.quote(bytes)).isEqualTo("\"a\", 'x' <repeats 12 times>, \"b\"");
        byte[] ten = new byte[10];
        Arrays.fill(ten, (byte) 'y');
        assertThat(CallResultFormat.quote(ten)).isEqualTo("\"yyyyyyyyyy\"");
        byte[] quotes = new byte[11];
        Arrays.fill(quotes, (byte) '\'');
        assertThat(CallResultFormat.quote(quotes)).isEqualTo("'\\'' <repeats 11 times>");
    }
}
