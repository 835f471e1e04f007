package io.coredumptools.cli.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.dwarf.BaseType;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.dwarf.PointerType;
import io.coredumptools.elfcore.dwarf.StructType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** C's conversions between the types of call arguments and results, and the x87 long double format. */
class CValueTest {
    private static final BaseType FLOAT = (BaseType) BuiltinTypes.named("float").orElseThrow();
    private static final BaseType LONG_DOUBLE =
            (BaseType) BuiltinTypes.named("long double").orElseThrow();
    private static final CType UNSIGNED_CHAR =
            BuiltinTypes.named("unsigned char").orElseThrow();
    private static final CType BOOL = BuiltinTypes.named("_Bool").orElseThrow();

    private static CValue real(BaseType type, double value) {
        return CValue.ofReal(type, Real.of(value));
    }

    @Test
    void integersWrapToTheirTypeAndKeepTheirSign() {
        assertThat(CValue.ofInteger(BuiltinTypes.INT, -1)
                        .convertTo(BuiltinTypes.LONG)
                        .integer())
                .isEqualTo(-1);
        assertThat(CValue.ofInteger(BuiltinTypes.INT, -1)
                        .convertTo(BuiltinTypes.UNSIGNED_LONG)
                        .integer())
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(CValue.ofInteger(BuiltinTypes.LONG, 0x1_0000_0101L)
                        .convertTo(UNSIGNED_CHAR)
                        .integer())
                .isEqualTo(1);
        assertThat(CValue.ofInteger(BuiltinTypes.LONG, 256).convertTo(BOOL).integer())
                .isEqualTo(1);
        assertThat(CValue.ofInteger(BuiltinTypes.LONG, 0).convertTo(BOOL).integer())
                .isEqualTo(0);
        assertThat(CValue.ofInteger(BuiltinTypes.INT, 5).bytes()).containsExactly(5, 0, 0, 0);
    }

    @Test
    void floatingPointToIntegerRoundsTowardZero() {
        assertThat(real(BuiltinTypes.DOUBLE, 3.9).convertTo(BuiltinTypes.INT).integer())
                .isEqualTo(3);
        assertThat(real(BuiltinTypes.DOUBLE, -3.9).convertTo(BuiltinTypes.INT).integer())
                .isEqualTo(-3);
        assertThat(real(BuiltinTypes.DOUBLE, 0.5).convertTo(BOOL).integer()).isEqualTo(1);
    }

    @Test
    void betweenFloatingPointFormats() {
        CValue oneTenth = real(BuiltinTypes.DOUBLE, 0.1);
        assertThat(oneTenth.convertTo(FLOAT).real().toFloat()).isEqualTo(0.1f);
        // The double nearest 0.1, exactly, in the wider format.
        assertThat(oneTenth.convertTo(LONG_DOUBLE).real().value()).isEqualByComparingTo(new BigDecimal(0.1));
        assertThat(oneTenth.convertTo(LONG_DOUBLE)
                        .convertTo(BuiltinTypes.DOUBLE)
                        .real()
                        .toDouble())
                .isEqualTo(0.1);
        assertThat(CValue.ofInteger(BuiltinTypes.LONG, Long.MAX_VALUE)
                        .convertTo(LONG_DOUBLE)
                        .real()
                        .value())
                .as("a long double holds every long")
                .isEqualByComparingTo(new BigDecimal(Long.MAX_VALUE));
        assertThat(real(BuiltinTypes.DOUBLE, Double.NEGATIVE_INFINITY)
                        .convertTo(LONG_DOUBLE)
                        .real()
                        .toGdbString(64))
                .isEqualTo("-inf");
    }

    /** The 10 bytes gcc stores for these long double constants (checked with gcc: {@code long double x = V;}). */
    /**
     * The 10 bytes gcc stores for these long double literals, and what glibc's {@code %.21Lg} prints for them
     * (measured with gcc 12 and glibc 2.36: {@code long double x = 0.1L;}).
     */
    @ParameterizedTest
    @CsvSource({
        "1.5, 00000000000000c0ff3f, 1.5",
        "3.25, 00000000000000d00040, 3.25",
        "-2, 000000000000008000c0, -2",
        "0.1, cdccccccccccccccfb3f, 0.100000000000000000001",
        "1e-4940, 628e2763060000000000, 9.99999999996053252001e-4941"
    })
    void x87EncodingRoundsToTheNearestAsGccDoes(String decimal, String hex, String printed) {
        byte[] encoded = X87Extended.encode(Real.of(new BigDecimal(decimal)));
        assertThat(HexFormat.of().formatHex(java.util.Arrays.copyOf(encoded, 10)))
                .isEqualTo(hex);
        assertThat(X87Extended.decode(encoded).toGdbString(64)).isEqualTo(printed);
    }

    @Test
    void x87DecodingIsExact() {
        byte[] third = HexFormat.of().parseHex("abaaaaaaaaaaaaaafd3f000000000000");
        Real value = X87Extended.decode(third);
        assertThat(value.toGdbString(64)).isEqualTo("0.333333333333333333342");
        assertThat(X87Extended.encode(value)).isEqualTo(third);
        Real nan = X87Extended.decode(HexFormat.of().parseHex("00000000000000c0ff7f"));
        assertThat(nan.kind()).isEqualTo(Real.Kind.NAN);
        // gdb: print (long double)(0.0/0) gives -nan(0xc000000000000000) for the negative default NaN.
        assertThat(X87Extended.decode(HexFormat.of().parseHex("00000000000000c0ffff"))
                        .toGdbString(64))
                .isEqualTo("-nan(0xc000000000000000)");
    }

    @Test
    void aStructConvertsOnlyToItself() {
        StructType point = new StructType(StructType.Kind.STRUCT, "struct point", 8, 4, List.of(), true, false);
        CValue value = new CValue(point, new byte[8]);
        assertThat(value.convertTo(point)).isSameAs(value);
        assertThatThrownBy(() -> value.convertTo(BuiltinTypes.INT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot convert a struct point to int");
        assertThatThrownBy(() -> real(BuiltinTypes.DOUBLE, 1).convertTo(PointerType.to(BuiltinTypes.CHAR)))
                .hasMessage("cannot convert a double to char *");
    }

    @Test
    void defaultArgumentPromotions() {
        assertThat(BuiltinTypes.promoted(FLOAT)).isEqualTo(BuiltinTypes.DOUBLE);
        assertThat(BuiltinTypes.promoted(BuiltinTypes.CHAR)).isEqualTo(BuiltinTypes.INT);
        assertThat(BuiltinTypes.promoted(BOOL)).isEqualTo(BuiltinTypes.INT);
        assertThat(BuiltinTypes.promoted(LONG_DOUBLE)).isEqualTo(LONG_DOUBLE);
        assertThat(BuiltinTypes.promoted(BuiltinTypes.UNSIGNED_INT)).isEqualTo(BuiltinTypes.UNSIGNED_INT);
    }
}
