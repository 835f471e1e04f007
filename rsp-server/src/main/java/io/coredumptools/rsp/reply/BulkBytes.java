package io.coredumptools.rsp.reply;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteOrder;

/**
 * The bulk parts of {@code m} and {@code x} replies, eight bytes per step, converted in place in the reply's direct
 * buffer: the raw bytes lie past where their conversion goes (read there from the file, or copied), and are turned
 * into hex digits from a table of digit pairs, or copied a word at a time with the bytes that need escaping
 * ({@code $ # } *}) found in each word by SWAR arithmetic. The checksum is summed on the way, in 16-bit
 * lanes. The launcher runs the server with C1 only, which does not vectorise a loop over bytes: per-byte work and
 * {@link ByteBuf} calls per escape run (one every 64 bytes of random data) cost most of a 128 KiB reply's time.
 *
 * <p>Only where Netty reaches memory through Unsafe, unaligned and little-endian ({@link #WORDS}); otherwise
 * {@link ReplyEncoder} writes byte by byte.
 */
final class BulkBytes {
    /** Whether words can be read and written here; the byte-at-a-time code is used otherwise. */
    static final boolean WORDS = PlatformDependent.hasUnsafe()
            && PlatformDependent.isUnaligned()
            && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /**
     * Input bytes per block: the 16-bit checksum lanes are folded after each, before they can overflow (128 words add
     * at most 128 × 2 × 255 to a lane, or 128 × 4 × 'f' for hex).
     */
    private static final int BLOCK = 1024;

    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;
    private static final long EVEN_BYTES = 0x00ff00ff00ff00ffL;
    private static final long DOLLAR = ONES * '$';
    private static final long HASH = ONES * '#';
    private static final long BRACE = ONES * '}';
    private static final long STAR = ONES * '*';

    /** A byte's two hex digits as they lie in memory (little-endian): the high digit first. */
    private static final int[] DIGIT_PAIR = new int[256];

    static {
        byte[] digits = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int b = 0; b < 256; b++) {
            DIGIT_PAIR[b] = digits[b >> 4] | digits[b & 0xf] << 8;
        }
    }

    private BulkBytes() {}

    /** How much writable room past the writer index an in-place conversion of {@code length} raw bytes needs. */
    static int room(int length) {
        return 2 * length + 16;
    }

    /** Where, in {@code out}, the {@code length} raw bytes of an in-place conversion are placed. */
    static int rawIndex(ByteBuf out, int length) {
        return out.writerIndex() + length + 8;
    }

    /** Writes {@code data[from, from+length)} as hex digits into {@code out}; returns the digits' sum. */
    static int hex(byte[] data, int from, int length, ByteBuf out) {
        if (!out.hasMemoryAddress()) {
            return throughDirect(data, from, length, out, true);
        }
        out.ensureWritable(room(length));
        int raw = rawIndex(out, length);
        out.setBytes(raw, data, from, length);
        return hexInPlace(out, raw, length);
    }

    /**
     * Writes {@code data[from, from+length)} into {@code out} with each of {@code $ # } *} sent as {@code }} and the
     * byte XOR 0x20; returns the sum of what was written.
     */
    static int escaped(byte[] data, int from, int length, ByteBuf out) {
        if (!out.hasMemoryAddress()) {
            return throughDirect(data, from, length, out, false);
        }
        out.ensureWritable(room(length));
        int raw = rawIndex(out, length);
        out.setBytes(raw, data, from, length);
        return escapedInPlace(out, raw, length);
    }

    /**
     * Writes the {@code length} raw bytes at {@code raw} in {@code out} as hex digits at its writer index w; returns
     * the digits' sum. The raw bytes lie at least {@code length + 8} past w (as {@link #rawIndex} places them) and
     * {@code out} has a memory address and {@link #room} to write: the digits of the word at i end at w + 2i + 16,
     * never past raw + i + 8, where the bytes not yet read start.
     */
    static int hexInPlace(ByteBuf out, int raw, int length) {
        long base = out.memoryAddress();
        long src = base + raw;
        long end = src + length;
        long start = base + out.writerIndex();
        long dst = start;
        int sum = 0;
        while (src < end) {
            long blockEnd = Math.min(end, src + BLOCK);
            long lanes = 0;
            for (; src + 8 <= blockEnd; src += 8) {
                long v = PlatformDependent.getLong(src);
                long low = DIGIT_PAIR[(int) v & 0xff]
                        | (long) DIGIT_PAIR[(int) (v >>> 8) & 0xff] << 16
                        | (long) DIGIT_PAIR[(int) (v >>> 16) & 0xff] << 32
                        | (long) DIGIT_PAIR[(int) (v >>> 24) & 0xff] << 48;
                long high = DIGIT_PAIR[(int) (v >>> 32) & 0xff]
                        | (long) DIGIT_PAIR[(int) (v >>> 40) & 0xff] << 16
                        | (long) DIGIT_PAIR[(int) (v >>> 48) & 0xff] << 32
                        | (long) DIGIT_PAIR[(int) (v >>> 56)] << 48;
                PlatformDependent.putLong(dst, low);
                PlatformDependent.putLong(dst + 8, high);
                dst += 16;
                lanes += (low & EVEN_BYTES)
                        + ((low >>> 8) & EVEN_BYTES)
                        + (high & EVEN_BYTES)
                        + ((high >>> 8) & EVEN_BYTES);
            }
            for (; src < blockEnd; src++) {
                int pair = DIGIT_PAIR[PlatformDependent.getByte(src) & 0xff];
                PlatformDependent.putShort(dst, (short) pair);
                dst += 2;
                sum += (pair & 0xff) + (pair >>> 8);
            }
            sum += fold(lanes);
        }
        out.writerIndex(out.writerIndex() + (int) (dst - start));
        return sum;
    }

    /**
     * Writes the {@code length} raw bytes at {@code raw} in {@code out} escaped at its writer index w; returns the sum
     * of what was written. The raw bytes lie at least {@code length + 8} past w (as {@link #rawIndex} places them) and
     * {@code out} has a memory address and {@link #room} to write: with e escapes up to the word at i, that word's
     * stores end before w + i + e + 16, never past raw + i + 8, where the bytes not yet read start.
     */
    static int escapedInPlace(ByteBuf out, int raw, int length) {
        long base = out.memoryAddress();
        long src = base + raw;
        long end = src + length;
        long start = base + out.writerIndex();
        long dst = start;
        int sum = 0;
        while (src < end) {
            long blockEnd = Math.min(end, src + BLOCK);
            long lanes = 0;
            for (; src + 8 <= blockEnd; src += 8) {
                long v = PlatformDependent.getLong(src);
                lanes += (v & EVEN_BYTES) + ((v >>> 8) & EVEN_BYTES);
                // The high bit of each byte of v that is one of $ # } *, no other bit set (written out here: C1
                // inlines no method this long). Per value c, x = v ^ c·0x01..01 has a zero byte where v has c,
                // and a byte of x is zero exactly when neither its low seven bits plus 0x7f nor the byte itself
                // has the high bit set (no carry crosses bytes, so no false matches next to a true one).
                long x1 = v ^ DOLLAR;
                long x2 = v ^ HASH;
                long x3 = v ^ BRACE;
                long x4 = v ^ STAR;
                long escapes = ~((((x1 & LOW7) + LOW7) | x1)
                                & (((x2 & LOW7) + LOW7) | x2)
                                & (((x3 & LOW7) + LOW7) | x3)
                                & (((x4 & LOW7) + LOW7) | x4)
                        | LOW7);
                if (escapes == 0) {
                    PlatformDependent.putLong(dst, v);
                    dst += 8;
                    continue;
                }
                // Store the bytes before each escape with the whole word, then the escape pair over what follows.
                int left = 8;
                while (escapes != 0) {
                    int before = firstEscape(escapes);
                    PlatformDependent.putLong(dst, v);
                    int b = (int) (v >>> (8 * before)) & 0xff;
                    PlatformDependent.putByte(dst + before, (byte) '}');
                    PlatformDependent.putByte(dst + before + 1, (byte) (b ^ 0x20));
                    dst += before + 2;
                    sum += '}' + (b ^ 0x20) - b;
                    // Two shifts: a shift by 64 would be a shift by 0.
                    v = (v >>> (8 * before)) >>> 8;
                    escapes = (escapes >>> (8 * before)) >>> 8;
                    left -= before + 1;
                }
                PlatformDependent.putLong(dst, v);
                dst += left;
            }
            for (; src < blockEnd; src++) {
                int b = PlatformDependent.getByte(src) & 0xff;
                sum += b;
                if (b == '$' || b == '#' || b == '}' || b == '*') {
                    PlatformDependent.putByte(dst++, (byte) '}');
                    b ^= 0x20;
                    sum += '}' + b - (b ^ 0x20);
                }
                PlatformDependent.putByte(dst++, (byte) b);
            }
            sum += fold(lanes);
        }
        out.writerIndex(out.writerIndex() + (int) (dst - start));
        return sum;
    }

    /**
     * The index of the lowest byte marked in {@code escapes} (high bits only): its lowest bit is 1 << (8k + 7), and
     * multiplying 1 << 8k by the bytes 7, 6, .. 0 leaves k in the top byte. C1 has no intrinsic for
     * {@link Long#numberOfTrailingZeros}.
     */
    private static int firstEscape(long escapes) {
        return (int) ((((escapes & -escapes) >>> 7) * 0x0001020304050607L) >>> 56);
    }

    /** The sum of the four 16-bit lanes. */
    private static int fold(long lanes) {
        return (int) ((lanes & 0xffff) + ((lanes >>> 16) & 0xffff) + ((lanes >>> 32) & 0xffff) + (lanes >>> 48));
    }

    /** For a buffer without a memory address (a heap or composite buffer): through a direct one, then copied. */
    private static int throughDirect(byte[] data, int from, int length, ByteBuf out, boolean hex) {
        ByteBuf direct = out.alloc().directBuffer(room(length));
        try {
            if (!direct.hasMemoryAddress()) {
                return hex
                        ? ReplyEncoder.hexByBytes(data, from, length, out)
                        : ReplyEncoder.escapedByBytes(data, from, length, out);
            }
            int sum = hex ? hex(data, from, length, direct) : escaped(data, from, length, direct);
            out.writeBytes(direct);
            return sum;
        } finally {
            direct.release();
        }
    }
}
