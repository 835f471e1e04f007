package io.coredumptools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.cli.expr.ResultCast;
import io.coredumptools.emulator.CallResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CallResultFormatTest {
    private static final CallResultFormat.MemoryReader NO_MEMORY = address -> {
        throw new IllegalStateException("no memory at " + address);
    };

    private static CallResult result(long rax, double xmm0) {
        return new CallResult(rax, xmm0, new byte[0], -1, 0, io.coredumptools.elfcore.LittleEndian.ofLong(rax));
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
    void integersAreSigned64BitUnlessCastToInt() {
        assertThat(CallResultFormat.format(ResultCast.NONE, result(-1, 0), NO_MEMORY))
                .isEqualTo("-1");
        assertThat(CallResultFormat.format(ResultCast.LONG, result(4999950000L, 0), NO_MEMORY))
                .isEqualTo("4999950000");
        assertThat(CallResultFormat.format(ResultCast.INT, result(0xffffffffL, 0), NO_MEMORY))
                .isEqualTo("-1");
        assertThat(CallResultFormat.format(ResultCast.INT, result(0x1_0000_002aL, 0), NO_MEMORY))
                .isEqualTo("42");
        assertThat(CallResultFormat.format(ResultCast.VOID, result(5, 0), NO_MEMORY))
                .isNull();
    }

    @Test
    void doublesAreShortestAndWrittenAsC() {
        assertThat(CallResultFormat.formatDouble(4.5)).isEqualTo("4.5");
        assertThat(CallResultFormat.formatDouble(3.0)).isEqualTo("3");
        assertThat(CallResultFormat.formatDouble(-0.25)).isEqualTo("-0.25");
        assertThat(CallResultFormat.formatDouble(1e20)).isEqualTo("1e+20");
        assertThat(CallResultFormat.formatDouble(1.5e-7)).isEqualTo("1.5e-07");
        assertThat(CallResultFormat.formatDouble(0.1)).isEqualTo("0.1");
        assertThat(CallResultFormat.formatDouble(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(CallResultFormat.formatDouble(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(CallResultFormat.formatDouble(Double.NaN)).isEqualTo("nan");
        assertThat(CallResultFormat.format(ResultCast.DOUBLE, result(0, 4.5), NO_MEMORY))
                .isEqualTo("4.5");
    }

    @Test
    void charPointerShowsAddressAndQuotedString() {
        byte[] text = "hello, bob!\0".getBytes(StandardCharsets.US_ASCII);
        assertThat(CallResultFormat.format(ResultCast.CHAR_POINTER, result(0x1000, 0), memory(text)))
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
