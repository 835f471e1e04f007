package io.coredumptools.emulator.unicorn;

/** {@code uc_err} codes that callers test for (unicorn.h), and their text. */
public final class UnicornErrors {
    public static final int OK = 0;
    public static final int NOMEM = 1;
    public static final int READ_UNMAPPED = 6;
    public static final int WRITE_UNMAPPED = 7;
    public static final int FETCH_UNMAPPED = 8;
    public static final int INSN_INVALID = 10;
    public static final int MAP = 11;
    public static final int WRITE_PROT = 12;
    public static final int READ_PROT = 13;
    public static final int FETCH_PROT = 14;
    public static final int ARG = 15;
    public static final int EXCEPTION = 21;

    private UnicornErrors() {}

    /** e.g. "UC_ERR_READ_UNMAPPED (6): Invalid memory read (UC_ERR_READ_UNMAPPED)". */
    public static String describe(int code) {
        return "error " + code + ": " + UnicornNative.uc_strerror(code).getString(0);
    }
}
