package io.coredumptools.emulator.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.dwarf.BaseEncoding;
import io.coredumptools.elfcore.dwarf.BaseType;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.dwarf.Member;
import io.coredumptools.elfcore.dwarf.StructType;
import io.coredumptools.elfcore.dwarf.VoidType;
import io.coredumptools.emulator.Argument;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where arguments go for the System V AMD64 ABI, checked against the psABI's own rules and examples. */
class ArgumentPlacementTest {
    private static final CType INT = new BaseType("int", BaseEncoding.SIGNED, 4);
    private static final CType FLOAT = new BaseType("float", BaseEncoding.FLOAT, 4);
    private static final CType LONG_DOUBLE = new BaseType("long double", BaseEncoding.FLOAT, 16);

    private static Argument integer(int value) {
        return Argument.of(INT, LittleEndian.ofInt(value));
    }

    private static Argument single(float value) {
        return Argument.of(FLOAT, LittleEndian.ofInt(Float.floatToRawIntBits(value)));
    }

    /** An x87 value given as its 16 bytes in memory: 8 of mantissa, 2 of sign and exponent, 6 of padding. */
    private static Argument longDouble(long mantissa, int signAndExponent) {
        byte[] bytes = new byte[16];
        LittleEndian.put64(bytes, 0, mantissa);
        bytes[8] = (byte) signAndExponent;
        bytes[9] = (byte) (signAndExponent >> 8);
        return Argument.of(LONG_DOUBLE, bytes);
    }

    private static long xmmLow(ArgumentPlacement placement, int index) {
        return LittleEndian.i64(placement.vectorRegister(index), 0);
    }

    @Test
    void integersAndDoublesTakeTheirOwnRegistersInOrder() {
        // double mixed(int, double, int, double): gdb passes 1 and 3 in rdi and rsi, 2.5 and 4.5 in xmm0, xmm1.
        ArgumentPlacement p = ArgumentPlacement.of(
                Argument.DOUBLE, List.of(integer(1), Argument.of(2.5), integer(3), Argument.of(4.5)));
        assertThat(p.integerRegister(0)).hasValue(1);
        assertThat(p.integerRegister(1)).hasValue(3);
        assertThat(p.integerRegister(2)).isEmpty();
        assertThat(Double.longBitsToDouble(xmmLow(p, 0))).isEqualTo(2.5);
        assertThat(Double.longBitsToDouble(xmmLow(p, 1))).isEqualTo(4.5);
        assertThat(p.vectorRegister(2)).isNull();
        assertThat(p.vectorRegisters()).isEqualTo(2);
        assertThat(p.stack()).isEmpty();
        assertThat(p.result().registers())
                .singleElement()
                .satisfies(r -> assertThat(r.register().gdbName()).isEqualTo("xmm0"));
    }

    @Test
    void aNegativeIntIsZeroExtendedInItsRegisterAsGdbWritesIt() {
        ArgumentPlacement p = ArgumentPlacement.of(Argument.LONG, List.of(integer(-1)));
        assertThat(p.integerRegister(0)).hasValue(0xffffffffL);
    }

    @Test
    void aFloatIsTheLowFourBytesOfItsXmmRegister() {
        ArgumentPlacement p = ArgumentPlacement.of(FLOAT, List.of(single(1.5f), integer(2), single(0.25f)));
        assertThat(xmmLow(p, 0)).isEqualTo(Float.floatToRawIntBits(1.5f) & 0xffffffffL);
        assertThat(xmmLow(p, 1)).isEqualTo(Float.floatToRawIntBits(0.25f) & 0xffffffffL);
        assertThat(p.integerRegister(0)).hasValue(2);
    }

    @Test
    void longDoublesGoToTheStackSixteenByteAligned() {
        // long double ldmixed(long double, int, long double): x87 class, memory; the int still takes rdi.
        ArgumentPlacement p = ArgumentPlacement.of(
                LONG_DOUBLE,
                List.of(longDouble(0xc000000000000000L, 0x3fff), integer(2), longDouble(0x8000000000000000L, 0x3ffd)));
        byte[] stack = p.stack();
        assertThat(stack).hasSize(32);
        assertThat(LittleEndian.i64(stack, 0)).isEqualTo(0xc000000000000000L);
        assertThat(LittleEndian.u16(stack, 8)).isEqualTo(0x3fff);
        assertThat(LittleEndian.i64(stack, 16)).isEqualTo(0x8000000000000000L);
        assertThat(LittleEndian.u16(stack, 24)).isEqualTo(0x3ffd);
        assertThat(p.integerRegister(0)).hasValue(2);
        assertThat(p.vectorRegisters()).isZero();
        assertThat(p.result().registers())
                .singleElement()
                .satisfies(r -> assertThat(r.size()).isEqualTo(10));
    }

    @Test
    void theNinthDoubleGoesToTheStack() {
        Argument[] nine = new Argument[9];
        for (int i = 0; i < 9; i++) {
            nine[i] = Argument.of(i + 1.0);
        }
        ArgumentPlacement p = ArgumentPlacement.of(Argument.DOUBLE, Arrays.asList(nine));
        assertThat(p.vectorRegisters()).isEqualTo(8);
        assertThat(Double.longBitsToDouble(xmmLow(p, 7))).isEqualTo(8.0);
        assertThat(Double.longBitsToDouble(LittleEndian.i64(p.stack(), 0))).isEqualTo(9.0);
        assertThat(p.stack()).hasSize(8);
    }

    @Test
    void theSeventhIntegerGoesToTheStack() {
        Argument[] seven = new Argument[7];
        for (int i = 0; i < 7; i++) {
            seven[i] = Argument.of(i + 1);
        }
        ArgumentPlacement p = ArgumentPlacement.of(Argument.LONG, Arrays.asList(seven));
        assertThat(p.integerRegister(5)).hasValue(6);
        assertThat(LittleEndian.i64(p.stack(), 0)).isEqualTo(7);
    }

    @Test
    void aSmallMixedStructIsSplitIntoAnSseAndAnIntegerEightbyte() {
        StructType pair = struct("struct pair", 16, member("d", 0, Argument.DOUBLE), member("n", 8, Argument.LONG));
        byte[] value = new byte[16];
        LittleEndian.put64(value, 0, Double.doubleToRawLongBits(2.5));
        LittleEndian.put64(value, 8, 7);
        ArgumentPlacement p = ArgumentPlacement.of(VoidType.INSTANCE, List.of(Argument.of(pair, value)));
        assertThat(Double.longBitsToDouble(xmmLow(p, 0))).isEqualTo(2.5);
        assertThat(p.integerRegister(0)).hasValue(7);
        assertThat(p.stack()).isEmpty();
    }

    @Test
    void aLargeStructIsCopiedToTheStackAndAMemoryResultTakesRdi() {
        StructType big = struct(
                "struct big",
                24,
                member("a", 0, Argument.LONG),
                member("b", 8, Argument.LONG),
                member("c", 16, Argument.LONG));
        byte[] value = new byte[24];
        for (int i = 0; i < 3; i++) {
            LittleEndian.put64(value, 8 * i, 10 + i);
        }
        ArgumentPlacement p = ArgumentPlacement.of(big, List.of(Argument.of(big, value), Argument.of(5)));
        assertThat(p.result().inMemory()).isTrue();
        assertThat(p.integerRegister(0))
                .as("rdi holds the result buffer, not an argument")
                .isEmpty();
        assertThat(p.integerRegister(1)).hasValue(5);
        assertThat(p.stack()).isEqualTo(value);
    }

    @Test
    void aValueOfTheWrongSizeForItsTypeIsRefused() {
        assertThatThrownBy(() -> Argument.of(INT, new byte[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("int is 4 bytes");
    }

    private static Member member(String name, long offset, CType type) {
        return new Member(name, offset, type, type.name(), 0, offset * 8);
    }

    private static StructType struct(String name, long size, Member... members) {
        return new StructType(StructType.Kind.STRUCT, name, size, 8, List.of(members), true, false);
    }
}
