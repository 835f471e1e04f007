package io.coredumptools.elfcore;

/**
 * Little-endian integers in byte arrays: the one set of helpers for register images, stack words and patch
 * bytes (x86-64 and ELF here are little-endian throughout). Unsigned reads return the value zero-extended.
 */
public final class LittleEndian {
    private LittleEndian() {}

    public static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    public static int i32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    public static long u32(byte[] b, int at) {
        return i32(b, at) & 0xffff_ffffL;
    }

    public static long i64(byte[] b, int at) {
        return u32(b, at) | u32(b, at + 4) << 32;
    }

    /** The first {@code b.length} (at most 8) bytes as an unsigned value. */
    public static long value(byte[] b) {
        long v = 0;
        for (int i = Math.min(8, b.length) - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    public static void put32(byte[] b, int at, int value) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }

    public static void put64(byte[] b, int at, long value) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }

    /** The low {@code size} bytes of {@code value} (size 1 to 8). */
    public static byte[] bytes(long value, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        return b;
    }

    public static byte[] ofLong(long value) {
        return bytes(value, 8);
    }

    public static byte[] ofInt(int value) {
        return bytes(value, 4);
    }
}
