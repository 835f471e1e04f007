package io.coredumptools.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.dwarf.BaseEncoding;
import io.coredumptools.elfcore.dwarf.BaseType;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.dwarf.Member;
import io.coredumptools.elfcore.dwarf.StructType;
import io.coredumptools.testkit.Fixture;
import org.junit.jupiter.api.Test;

/**
 * Calls with float, double and long double arguments and results on floats.c's core: each value travels in
 * the register or stack slot its type is given, and the result is read back from xmm0 or st0.
 */
class FloatingPointCallsTest {
    private static final CType INT = new BaseType("int", BaseEncoding.SIGNED, 4);
    private static final CType FLOAT = new BaseType("float", BaseEncoding.FLOAT, 4);
    private static final CType LONG_DOUBLE = new BaseType("long double", BaseEncoding.FLOAT, 16);

    private static Argument integer(int value) {
        return Argument.of(INT, LittleEndian.ofInt(value));
    }

    private static Argument single(float value) {
        return Argument.of(FLOAT, LittleEndian.ofInt(Float.floatToRawIntBits(value)));
    }

    /** An x87 value of {@code mantissa * 2^(exponent - 0x3fff - 63)}, as it lies in memory. */
    private static Argument longDouble(long mantissa, int exponent) {
        byte[] bytes = new byte[16];
        LittleEndian.put64(bytes, 0, mantissa);
        bytes[8] = (byte) exponent;
        bytes[9] = (byte) (exponent >> 8);
        return Argument.of(LONG_DOUBLE, bytes);
    }

    private static long address(Emulator emu, String function) throws CallFailedException {
        return emu.resolveFunction(function);
    }

    @Test
    void integersAndDoublesMixed() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.FLOATS)) {
            CallResult result = emu.call(
                    address(emu, "mixed"), Argument.DOUBLE, integer(1), Argument.of(2.5), integer(3), Argument.of(4.5));
            assertThat(result.xmm0()).isEqualTo(11.0);
            assertThat(Double.longBitsToDouble(LittleEndian.i64(result.value(), 0)))
                    .isEqualTo(11.0);
        }
    }

    @Test
    void floatsWithAPrototypeAreNotPromoted() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.FLOATS)) {
            CallResult result = emu.call(address(emu, "fmixed"), FLOAT, single(1.5f), integer(2), single(0.25f));
            assertThat(result.value()).hasSize(4);
            assertThat(Float.intBitsToFloat(LittleEndian.i32(result.value(), 0)))
                    .isEqualTo(3.25f);
        }
    }

    @Test
    void longDoublesOnTheStackAndTheResultInSt0() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.FLOATS)) {
            // 1.5 * 2 + 0.25 = 3.25 = 0xd000000000000000 * 2^(0x4000 - 0x3fff - 63)
            CallResult result = emu.call(
                    address(emu, "ldmixed"),
                    LONG_DOUBLE,
                    longDouble(0xc000000000000000L, 0x3fff),
                    integer(2),
                    longDouble(0x8000000000000000L, 0x3ffd));
            assertThat(result.value()).hasSize(16);
            assertThat(LittleEndian.i64(result.value(), 0)).isEqualTo(0xd000000000000000L);
            assertThat(LittleEndian.u16(result.value(), 8)).isEqualTo(0x4000);
        }
    }

    @Test
    void theNinthDoubleOnTheStack() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.FLOATS)) {
            Argument[] nine = new Argument[9];
            for (int i = 0; i < 8; i++) {
                nine[i] = Argument.of(i + 1.0);
            }
            nine[8] = Argument.of(9.5);
            assertThat(emu.call(address(emu, "nine_doubles"), Argument.DOUBLE, nine)
                            .xmm0())
                    .isEqualTo(45.5);
        }
    }

    private static StructType struct(String name, long size, Member... members) {
        return new StructType(StructType.Kind.STRUCT, name, size, 8, java.util.List.of(members), true, false);
    }

    private static Member member(String name, long offset, CType type) {
        return new Member(name, offset, type, type.name(), 0, offset * 8);
    }

    @Test
    void aStructResultInXmm0AndRax() throws Exception {
        // struct dpair { double a; long n; }: SSE then INTEGER.
        StructType dpair = struct("struct dpair", 16, member("a", 0, Argument.DOUBLE), member("n", 8, Argument.LONG));
        try (Emulator emu = TestEmulators.open(Fixture.FLOATS)) {
            CallResult result = emu.call(address(emu, "make_dpair"), dpair, Argument.of(2.5), Argument.of(3));
            assertThat(Double.longBitsToDouble(LittleEndian.i64(result.value(), 0)))
                    .isEqualTo(5.0);
            assertThat(LittleEndian.i64(result.value(), 8)).isEqualTo(4);
        }
    }

    @Test
    void aStructResultInMemoryThroughTheHiddenPointer() throws Exception {
        // struct triple { long a, b, c; }: 24 bytes, MEMORY: the buffer's address goes in rdi, a in rsi.
        StructType triple = struct(
                "struct triple",
                24,
                member("a", 0, Argument.LONG),
                member("b", 8, Argument.LONG),
                member("c", 16, Argument.LONG));
        try (Emulator emu = TestEmulators.open(Fixture.FLOATS)) {
            CallResult result = emu.call(address(emu, "make_triple"), triple, Argument.of(4), Argument.of(2.5));
            assertThat(LittleEndian.i64(result.value(), 0)).isEqualTo(4);
            assertThat(LittleEndian.i64(result.value(), 8)).isEqualTo(10);
            assertThat(LittleEndian.i64(result.value(), 16)).isEqualTo(12);
            assertThat(result.rax())
                    .as("the callee returns the buffer's address")
                    .isNotZero();
        }
    }

    @Test
    void anIntResultOfDoubleArguments() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.FLOATS)) {
            CallResult result = emu.call(address(emu, "truncated_sum"), INT, Argument.of(7.9), Argument.of(2.1));
            assertThat(result.value()).hasSize(4);
            assertThat(LittleEndian.i32(result.value(), 0)).isEqualTo(10);
        }
    }
}
