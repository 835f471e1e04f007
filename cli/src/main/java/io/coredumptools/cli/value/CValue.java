package io.coredumptools.cli.value;

import io.coredumptools.elfcore.dwarf.BaseType;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.dwarf.EnumType;
import io.coredumptools.elfcore.dwarf.PointerType;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * A value of a C type in its memory representation (little-endian, {@code type.byteSize()} bytes), with the
 * conversions C applies between arithmetic and pointer types, as gdb applies them to call arguments and casts.
 */
public record CValue(CType type, byte[] bytes) {
    public CValue {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** An integer, enum or pointer value of {@code type}, wrapped to its size as C does. */
    public static CValue ofInteger(CType type, BigInteger value) {
        byte[] bytes = new byte[Math.toIntExact(type.byteSize())];
        byte[] big = value.toByteArray();
        byte fill = (byte) (value.signum() < 0 ? 0xff : 0);
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = i < big.length ? big[big.length - 1 - i] : fill;
        }
        return new CValue(type, bytes);
    }

    public static CValue ofInteger(CType type, long value) {
        return ofInteger(type, BigInteger.valueOf(value));
    }

    /** A floating-point value of {@code type}, rounded to its format. */
    public static CValue ofReal(BaseType type, Real value) {
        byte[] bytes = new byte[Math.toIntExact(type.byteSize())];
        switch (type.floatFormat()) {
            case SINGLE -> {
                int bits = Float.floatToRawIntBits(value.toFloat());
                for (int i = 0; i < 4; i++) {
                    bytes[i] = (byte) (bits >>> (8 * i));
                }
            }
            case DOUBLE -> {
                long bits = Double.doubleToRawLongBits(value.toDouble());
                for (int i = 0; i < 8; i++) {
                    bytes[i] = (byte) (bits >>> (8 * i));
                }
            }
            case X87_EXTENDED -> System.arraycopy(X87Extended.encode(value), 0, bytes, 0, Math.min(16, bytes.length));
            default -> throw new IllegalArgumentException(type.name() + " values are not supported");
        }
        return new CValue(type, bytes);
    }

    public static boolean isFloating(CType type) {
        return type instanceof BaseType b && !b.isComplex() && b.isFloatingPoint();
    }

    /** Integers of every kind, characters, booleans, enums and pointers: what converts to and from integers. */
    public static boolean isIntegral(CType type) {
        return (type instanceof BaseType b && b.encoding().isInteger())
                || type instanceof EnumType
                || type instanceof PointerType;
    }

    public static boolean isSigned(CType type) {
        return (type instanceof BaseType b && b.encoding().isSigned()) || (type instanceof EnumType e && e.signed());
    }

    /** The value of an integral type (see {@link #isIntegral}). */
    public BigInteger integer() {
        byte[] big = new byte[bytes.length + 1];
        for (int i = 0; i < bytes.length; i++) {
            big[bytes.length - i] = bytes[i];
        }
        BigInteger unsigned = new BigInteger(big);
        if (isSigned(type) && bytes.length > 0 && bytes[bytes.length - 1] < 0) {
            return unsigned.subtract(BigInteger.ONE.shiftLeft(8 * bytes.length));
        }
        return unsigned;
    }

    /** The exact value of a floating-point type. */
    public Real real() {
        BaseType base = (BaseType) type;
        return switch (base.floatFormat()) {
            case SINGLE -> Real.of(Float.intBitsToFloat((int) littleEndian(4)));
            case DOUBLE -> Real.of(Double.longBitsToDouble(littleEndian(8)));
            case X87_EXTENDED -> X87Extended.decode(bytes);
            default -> throw new IllegalArgumentException(type.name() + " values are not supported");
        };
    }

    private long littleEndian(int size) {
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }

    /** The precision of a floating-point type's format, in mantissa bits. */
    public static int mantissaBits(BaseType type) {
        return switch (type.floatFormat()) {
            case SINGLE -> 24;
            case DOUBLE -> 53;
            case X87_EXTENDED -> X87Extended.MANTISSA_BITS;
            default -> throw new IllegalArgumentException(type.name() + " values are not supported");
        };
    }

    /**
     * This value converted to {@code target} as C converts it: between integer, floating-point, boolean, enum
     * and pointer types (a floating-point value to an integer rounds toward zero); a struct only to its own type.
     *
     * @throws IllegalArgumentException when C has no such conversion (a struct to an int, ...)
     */
    public CValue convertTo(CType target) {
        if (target.equals(type)) {
            return this;
        }
        boolean fromFloat = isFloating(type);
        if (!fromFloat && !isIntegral(type)) {
            throw new IllegalArgumentException("cannot convert a " + type.name() + " to " + target.name());
        }
        if (target instanceof BaseType b && b.encoding() == io.coredumptools.elfcore.dwarf.BaseEncoding.BOOLEAN) {
            boolean nonZero = fromFloat
                    ? real().kind() != Real.Kind.FINITE || real().magnitude().signum() != 0
                    : integer().signum() != 0;
            return ofInteger(target, nonZero ? 1 : 0);
        }
        if (isIntegral(target)) {
            if (fromFloat && target instanceof PointerType) {
                throw new IllegalArgumentException("cannot convert a " + type.name() + " to " + target.name());
            }
            return ofInteger(target, fromFloat ? real().truncated() : integer());
        }
        if (isFloating(target)) {
            if (type instanceof PointerType) {
                throw new IllegalArgumentException("cannot convert a " + type.name() + " to " + target.name());
            }
            Real value = fromFloat ? real() : Real.of(new java.math.BigDecimal(integer()));
            return ofReal((BaseType) target, value);
        }
        throw new IllegalArgumentException("cannot convert a " + type.name() + " to " + target.name());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CValue v && v.type.equals(type) && Arrays.equals(v.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "CValue[" + type.name() + ", " + java.util.HexFormat.of().formatHex(bytes) + "]";
    }
}
