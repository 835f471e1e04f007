package io.coredumptools.cli.expr;

/** How to read and print a call's result: the C cast written before the call, or none. */
public enum ResultCast {
    /** No cast: RAX as a signed 64-bit integer, like {@link #LONG}. */
    NONE("", "long"),
    LONG("(long)", "long"),
    /** The low 32 bits of RAX, signed: an {@code int} function's result. */
    INT("(int)", "int"),
    /** XMM0 as a double. */
    DOUBLE("(double)", "double"),
    /** RAX as a pointer, printed with the NUL-terminated string it points to. */
    CHAR_POINTER("(char*)", "char *"),
    /** Nothing printed but what the call wrote. */
    VOID("(void)", "void");

    private final String written;
    private final String cType;

    ResultCast(String written, String cType) {
        this.written = written;
        this.cType = cType;
    }

    /** The cast as it is written before a call, "" for none. */
    public String written() {
        return written;
    }

    /** The C type named by the cast. */
    public String cType() {
        return cType;
    }

    /**
     * The cast for the type written between the parentheses, whitespace already collapsed to single spaces
     * and removed around {@code *}: {@code char*}, {@code const char*}, {@code double}, {@code int},
     * {@code long}, {@code void}; null when it names no supported type.
     */
    static ResultCast forTypeName(String type) {
        return switch (type) {
            case "long", "long int", "signed long", "long long", "int64_t", "ssize_t", "intptr_t" -> LONG;
            case "int", "signed int", "signed", "int32_t" -> INT;
            case "double" -> DOUBLE;
            case "char*", "const char*", "char const*" -> CHAR_POINTER;
            case "void" -> VOID;
            default -> null;
        };
    }
}
