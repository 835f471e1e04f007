package io.coredumptools.elfcore.dwarf;

/**
 * The machine format of a floating-point base type (for complex types: of each part). DWARF gives only the
 * size; 16-byte floats are told apart by name, as gdb does: {@code _Float128}/{@code __float128} are IEEE
 * quad, anything else of 16 bytes ({@code long double}, {@code _Float64x}) is the x87 80-bit format padded to
 * 16 bytes.
 */
public enum FloatFormat {
    /** Not a floating-point type. */
    NONE,
    /** IEEE binary16: {@code _Float16}. */
    HALF,
    /** bfloat16: {@code __bf16}. */
    BFLOAT16,
    SINGLE,
    DOUBLE,
    /** x87 80-bit extended precision in 16 bytes: {@code long double} on x86-64. */
    X87_EXTENDED,
    /** IEEE binary128: {@code _Float128}. */
    QUAD,
    /** Decimal floating point ({@code _Decimal32/64/128}), passed like floats of the same size. */
    DECIMAL
}
