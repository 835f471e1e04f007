package io.coredumptools.elfcore.dwarf;

/** How a base type's bits are to be read: DWARF's DW_ATE_* encodings. */
public enum BaseEncoding {
    SIGNED,
    UNSIGNED,
    SIGNED_CHAR,
    UNSIGNED_CHAR,
    BOOLEAN,
    FLOAT,
    COMPLEX_FLOAT,
    IMAGINARY_FLOAT,
    DECIMAL_FLOAT,
    /** A character of a Unicode encoding (char16_t, char32_t). */
    UTF,
    ADDRESS,
    /** Fixed-point, packed decimal and other encodings C does not have. */
    OTHER;

    static BaseEncoding of(int dwAte) {
        return switch (dwAte) {
            case DwarfConstants.DW_ATE_signed -> SIGNED;
            case DwarfConstants.DW_ATE_unsigned -> UNSIGNED;
            case DwarfConstants.DW_ATE_signed_char -> SIGNED_CHAR;
            case DwarfConstants.DW_ATE_unsigned_char -> UNSIGNED_CHAR;
            case DwarfConstants.DW_ATE_boolean -> BOOLEAN;
            case DwarfConstants.DW_ATE_float -> FLOAT;
            case DwarfConstants.DW_ATE_complex_float -> COMPLEX_FLOAT;
            case DwarfConstants.DW_ATE_imaginary_float -> IMAGINARY_FLOAT;
            case DwarfConstants.DW_ATE_decimal_float -> DECIMAL_FLOAT;
            case DwarfConstants.DW_ATE_UTF -> UTF;
            case DwarfConstants.DW_ATE_address -> ADDRESS;
            default -> OTHER;
        };
    }

    /** Whether values are integers (of any signedness) at the machine level. */
    public boolean isInteger() {
        return switch (this) {
            case SIGNED, UNSIGNED, SIGNED_CHAR, UNSIGNED_CHAR, BOOLEAN, UTF, ADDRESS -> true;
            default -> false;
        };
    }

    public boolean isSigned() {
        return this == SIGNED || this == SIGNED_CHAR;
    }
}
