package io.coredumptools.cli.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A floating-point value held exactly: a finite number (with its sign, so that -0 is kept), an infinity, or a
 * NaN with its mantissa bits (what gdb prints in {@code nan(0x8000000000000)}).
 */
public record Real(boolean negative, Kind kind, BigDecimal magnitude, BigInteger nanMantissa) {
    public enum Kind {
        FINITE,
        INFINITE,
        NAN
    }

    public static Real of(BigDecimal value) {
        return new Real(value.signum() < 0, Kind.FINITE, value.abs(), BigInteger.ZERO);
    }

    public static Real of(double value) {
        boolean negative = Double.doubleToRawLongBits(value) < 0;
        if (Double.isNaN(value)) {
            long mantissa = Double.doubleToRawLongBits(value) & ((1L << 52) - 1);
            return new Real(negative, Kind.NAN, BigDecimal.ZERO, BigInteger.valueOf(mantissa));
        }
        if (Double.isInfinite(value)) {
            return new Real(negative, Kind.INFINITE, BigDecimal.ZERO, BigInteger.ZERO);
        }
        return new Real(negative, Kind.FINITE, new BigDecimal(Math.abs(value)), BigInteger.ZERO);
    }

    public static Real of(float value) {
        if (Float.isNaN(value)) {
            int bits = Float.floatToRawIntBits(value);
            return new Real(bits < 0, Kind.NAN, BigDecimal.ZERO, BigInteger.valueOf(bits & ((1 << 23) - 1)));
        }
        return of((double) value);
    }

    /** The value with its sign; 0 for an infinity or NaN (callers check {@link #kind()} first). */
    public BigDecimal value() {
        return negative ? magnitude.negate() : magnitude;
    }

    /** Rounded toward zero, as C converts a floating-point value to an integer. */
    public BigInteger truncated() {
        return kind == Kind.FINITE ? value().toBigInteger() : BigInteger.ZERO;
    }

    /** The nearest double (ties to even). */
    public double toDouble() {
        return switch (kind) {
            case NAN ->
                Double.longBitsToDouble((negative ? Long.MIN_VALUE : 0)
                        | 0x7ff8000000000000L
                        | (nanMantissa.bitLength() <= 52 ? nanMantissa.longValue() : 0));
            case INFINITE -> negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            case FINITE -> {
                double d = Double.parseDouble(magnitude.toString());
                yield negative ? -d : d;
            }
        };
    }

    /** The nearest float (ties to even, rounded once from the exact value). */
    public float toFloat() {
        return switch (kind) {
            case NAN ->
                Float.intBitsToFloat((negative ? Integer.MIN_VALUE : 0)
                        | 0x7fc00000
                        | (nanMantissa.bitLength() <= 23 ? nanMantissa.intValue() : 0));
            case INFINITE -> negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
            case FINITE -> {
                float f = Float.parseFloat(magnitude.toString());
                yield negative ? -f : f;
            }
        };
    }

    /**
     * As gdb prints a value of a format with {@code mantissaBits} bits of precision: C's {@code %.Ng} with N
     * the format's DECIMAL_DIG (9 for float, 17 for double, 21 for long double), {@code inf}, {@code -inf},
     * {@code nan(0x8000000000000)}, {@code -nan(...)}.
     */
    public String toGdbString(int mantissaBits) {
        String sign = negative ? "-" : "";
        if (kind == Kind.INFINITE) {
            return sign + "inf";
        }
        if (kind == Kind.NAN) {
            return sign + "nan(0x" + nanMantissa.toString(16) + ")";
        }
        double decimalDigits = 1 + mantissaBits * 0.30102999566398119521;
        int digits = (int) Math.ceil(decimalDigits);
        return sign + formatG(magnitude, digits);
    }

    /** C's {@code %.Pg} of a non-negative exact value. */
    static String formatG(BigDecimal value, int precision) {
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal rounded = value.round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= precision) {
            String digits = rounded.unscaledValue().toString().replaceFirst("0+$", "");
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        BigDecimal plain = rounded.stripTrailingZeros();
        return plain.scale() < 0 ? plain.setScale(0).toPlainString() : plain.toPlainString();
    }
}
