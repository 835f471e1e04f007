package io.coredumptools.cli.value;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The x87 80-bit extended format of {@code long double} on x86-64, as it lies in memory: 8 bytes of mantissa
 * with an explicit integer bit, then 2 bytes of sign and 15-bit exponent (bias 16383); a {@code long double}
 * object pads it to 16 bytes.
 */
public final class X87Extended {
    static final int MANTISSA_BITS = 64;
    private static final int BIAS = 16383;
    private static final int MAX_EXPONENT = 0x7fff;
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private X87Extended() {}

    /** The exact value of the 10 bytes at the start of {@code bytes}. */
    public static Real decode(byte[] bytes) {
        long mantissa = 0;
        for (int i = 7; i >= 0; i--) {
            mantissa = (mantissa << 8) | (bytes[i] & 0xff);
        }
        int signAndExponent = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        boolean negative = (signAndExponent & 0x8000) != 0;
        int exponent = signAndExponent & MAX_EXPONENT;
        BigInteger m = new BigInteger(Long.toUnsignedString(mantissa));
        if (exponent == MAX_EXPONENT) {
            if ((mantissa << 1) == 0) {
                return new Real(negative, Real.Kind.INFINITE, BigDecimal.ZERO, BigInteger.ZERO);
            }
            return new Real(negative, Real.Kind.NAN, BigDecimal.ZERO, m);
        }
        // value = m * 2^(e - bias - 63); a denormal's exponent field 0 means 1 - bias.
        int power = (exponent == 0 ? 1 : exponent) - BIAS - (MANTISSA_BITS - 1);
        BigDecimal magnitude = power >= 0
                ? new BigDecimal(m.shiftLeft(power))
                : new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-power)), -power);
        return new Real(negative, Real.Kind.FINITE, magnitude, BigInteger.ZERO);
    }

    /** {@code value} rounded to the nearest x87 value (ties to even), in 16 bytes. */
    public static byte[] encode(Real value) {
        long mantissa;
        int exponent;
        switch (value.kind()) {
            case INFINITE -> {
                mantissa = Long.MIN_VALUE;
                exponent = MAX_EXPONENT;
            }
            case NAN -> {
                mantissa = Long.MIN_VALUE | value.nanMantissa().longValue() | (1L << 62);
                exponent = MAX_EXPONENT;
            }
            default -> {
                long[] encoded = finite(value.magnitude());
                mantissa = encoded[0];
                exponent = (int) encoded[1];
            }
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (mantissa >>> (8 * i));
        }
        int signAndExponent = exponent | (value.negative() ? 0x8000 : 0);
        bytes[8] = (byte) signAndExponent;
        bytes[9] = (byte) (signAndExponent >>> 8);
        return bytes;
    }

    /** Mantissa and biased exponent of a non-negative value. */
    private static long[] finite(BigDecimal magnitude) {
        if (magnitude.signum() == 0) {
            return new long[] {0, 0};
        }
        BigInteger numerator = magnitude.unscaledValue();
        BigInteger denominator = BigInteger.ONE;
        if (magnitude.scale() > 0) {
            denominator = BigInteger.TEN.pow(magnitude.scale());
        } else {
            numerator = numerator.multiply(BigInteger.TEN.pow(-magnitude.scale()));
        }
        // The binary exponent e with 2^e <= value < 2^(e+1).
        int e = numerator.bitLength() - denominator.bitLength();
        if (compareToPowerOfTwo(numerator, denominator, e) < 0) {
            e--;
        }
        int minimum = 1 - BIAS;
        int shift = (MANTISSA_BITS - 1) - Math.max(e, minimum);
        BigInteger m = roundedQuotient(numerator, denominator, shift);
        if (m.equals(TWO_TO_64)) {
            m = m.shiftRight(1);
            e++;
        }
        if (e > MAX_EXPONENT - 1 - BIAS) {
            return new long[] {Long.MIN_VALUE, MAX_EXPONENT};
        }
        boolean normal = m.testBit(MANTISSA_BITS - 1);
        return new long[] {m.longValue(), normal ? Math.max(e, minimum) + BIAS : 0};
    }

    /** Sign of {@code n/d - 2^e}. */
    private static int compareToPowerOfTwo(BigInteger n, BigInteger d, int e) {
        return e >= 0 ? n.compareTo(d.shiftLeft(e)) : n.shiftLeft(-e).compareTo(d);
    }

    /** {@code n/d * 2^shift} rounded to the nearest integer, ties to even. */
    private static BigInteger roundedQuotient(BigInteger n, BigInteger d, int shift) {
        if (shift >= 0) {
            n = n.shiftLeft(shift);
        } else {
            d = d.shiftLeft(-shift);
        }
        BigInteger[] qr = n.divideAndRemainder(d);
        int half = qr[1].shiftLeft(1).compareTo(d);
        if (half > 0 || (half == 0 && qr[0].testBit(0))) {
            return qr[0].add(BigInteger.ONE);
        }
        return qr[0];
    }
}
