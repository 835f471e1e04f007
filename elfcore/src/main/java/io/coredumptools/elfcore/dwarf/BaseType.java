package io.coredumptools.elfcore.dwarf;

/**
 * A base type: an integer, character, boolean or floating-point (including complex) type.
 *
 * @param name the C name as gdb prints it ("unsigned long", "long double", "complex float")
 */
public record BaseType(String name, BaseEncoding encoding, long byteSize) implements CType {

    @Override
    public long alignment() {
        long unit = isComplex() ? byteSize / 2 : byteSize;
        return Math.max(1, Math.min(16, unit));
    }

    public boolean isComplex() {
        return encoding == BaseEncoding.COMPLEX_FLOAT;
    }

    public boolean isFloatingPoint() {
        return floatFormat() != FloatFormat.NONE;
    }

    /** The format of the value (of each part, for complex types). */
    public FloatFormat floatFormat() {
        long size = isComplex() ? byteSize / 2 : byteSize;
        return switch (encoding) {
            case DECIMAL_FLOAT -> FloatFormat.DECIMAL;
            case FLOAT, COMPLEX_FLOAT, IMAGINARY_FLOAT -> {
                if (size == 2) {
                    yield name.contains("bf16") ? FloatFormat.BFLOAT16 : FloatFormat.HALF;
                } else if (size == 4) {
                    yield FloatFormat.SINGLE;
                } else if (size == 8) {
                    yield FloatFormat.DOUBLE;
                } else if (size == 16 && (name.contains("_Float128") || name.contains("__float128"))) {
                    yield FloatFormat.QUAD;
                } else if (size == 16 || size == 10 || size == 12) {
                    yield FloatFormat.X87_EXTENDED;
                }
                yield FloatFormat.NONE;
            }
            default -> FloatFormat.NONE;
        };
    }
}
