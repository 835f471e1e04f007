package io.coredumptools.rsp.inferior;

import java.nio.charset.StandardCharsets;

/** Hex as the RSP writes it: lower-case pairs, numbers without leading zeros. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();
    private static final byte[] DIGIT_BYTES = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Hex() {}

    public static String encode(byte[] bytes) {
        return encode(bytes, 0, bytes.length);
    }

    public static String encode(byte[] bytes, int from, int length) {
        char[] out = new char[length * 2];
        for (int i = 0; i < length; i++) {
            int b = bytes[from + i] & 0xff;
            out[2 * i] = DIGITS[b >> 4];
            out[2 * i + 1] = DIGITS[b & 0xf];
        }
        return new String(out);
    }

    /** Hex as payload bytes (for large memory reads). */
    public static byte[] encodeBytes(byte[] bytes) {
        byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            out[2 * i] = DIGIT_BYTES[b >> 4];
            out[2 * i + 1] = DIGIT_BYTES[b & 0xf];
        }
        return out;
    }

    public static byte[] decode(CharSequence hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (digit(hex.charAt(2 * i)) << 4 | digit(hex.charAt(2 * i + 1)));
        }
        return out;
    }

    public static int digit(char c) {
        int value = Character.digit(c, 16);
        if (value < 0) {
            throw new IllegalArgumentException("not a hex digit: '" + c + "'");
        }
        return value;
    }

    /** An unsigned hex number ("-1" allowed as all ones). */
    public static long parseLong(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty number");
        }
        if (s.equals("-1")) {
            return -1;
        }
        if (s.length() > 16) {
            throw new IllegalArgumentException("number too long: " + s);
        }
        return Long.parseUnsignedLong(s, 16);
    }

    public static int parseInt(String s) {
        long v = parseLong(s);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("number out of range: " + s);
        }
        return (int) v;
    }

    public static String number(long value) {
        return Long.toHexString(value);
    }

    /** {@code value} as {@code size} little-endian bytes, hex encoded. */
    public static String littleEndian(long value, int size) {
        char[] out = new char[size * 2];
        for (int i = 0; i < size; i++) {
            int b = (int) (value >>> (8 * i)) & 0xff;
            out[2 * i] = DIGITS[b >> 4];
            out[2 * i + 1] = DIGITS[b & 0xf];
        }
        return new String(out);
    }

    public static String ascii(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }
}
