package io.coredumptools.elfcore;

import java.util.HexFormat;

/** Hex formatting shared by the model and its reports. */
public final class Hex {
    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {}

    public static String of(byte[] bytes) {
        return LOWER.formatHex(bytes);
    }

    /** {@code 0x} followed by the unsigned hex value, as gdb prints addresses. */
    public static String address(long value) {
        return "0x" + Long.toHexString(value);
    }
}
