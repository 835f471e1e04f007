package io.coredumptools.rsp.wire;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Hex as the RSP writes it, over {@link HexFormat}: lower-case pairs for data, numbers without leading zeros.
 * Malformed hex is an {@link IllegalArgumentException} (the request parser turns it into a parse error).
 */
public final class Hex {
    private static final HexFormat HEX = HexFormat.of();
    /** The checksum contribution of a byte written as two hex digits: '0'..'9', 'a'..'f' summed. */
    private static final int[] PAIR_SUM = new int[256];

    static {
        for (int b = 0; b < 256; b++) {
            PAIR_SUM[b] = HEX.toHighHexDigit(b) + HEX.toLowHexDigit(b);
        }
    }

    private Hex() {}

    public static String encode(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    public static String encode(byte[] bytes, int from, int length) {
        return HEX.formatHex(bytes, from, from + length);
    }

    public static String ascii(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Pairs of hex digits to bytes. */
    public static byte[] decode(CharSequence hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        return HEX.parseHex(hex);
    }

    /** The value of an ASCII hex digit, or -1. */
    public static int digit(int c) {
        return HexFormat.isHexDigit(c) ? HexFormat.fromHexDigit(c) : -1;
    }

    /** The sum of the ASCII hex digits that encode {@code bytes[from, from+length)}: their part of a checksum. */
    public static int digitSum(byte[] bytes, int from, int length) {
        int sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += PAIR_SUM[bytes[i] & 0xff];
        }
        return sum;
    }

    /** An unsigned hex number of at most 16 digits ("-1" allowed as all ones). */
    public static long parseLong(CharSequence s) {
        if (s.length() == 0) {
            throw new IllegalArgumentException("empty number");
        }
        if (s.length() == 2 && s.charAt(0) == '-' && s.charAt(1) == '1') {
            return -1;
        }
        if (s.length() > 16) {
            throw new IllegalArgumentException("number too long: " + s);
        }
        for (int i = 0; i < s.length(); i++) {
            if (!HexFormat.isHexDigit(s.charAt(i))) {
                throw new IllegalArgumentException("not a hex number: " + s);
            }
        }
        return HexFormat.fromHexDigitsToLong(s);
    }

    /** A hex number that fits an int (0 to Integer.MAX_VALUE). */
    public static int parseInt(CharSequence s) {
        long v = parseLong(s);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("number out of range: " + s);
        }
        return (int) v;
    }

    /** The low byte of {@code value} as two hex digits ({@code %02x} without a Formatter). */
    public static String pair(int value) {
        return HEX.toHexDigits((byte) value);
    }

    /** {@code value} as 16 hex digits ({@code %016x}). */
    public static String digits16(long value) {
        return HEX.toHexDigits(value);
    }

    public static String number(long value) {
        return Long.toHexString(value);
    }

    /** {@code value} as {@code size} little-endian bytes, hex encoded. */
    public static String littleEndian(long value, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        return encode(b);
    }
}
