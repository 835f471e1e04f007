package io.coredumptools.rsp.reply;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time hex and escape code against the protocol's definition written byte by byte here: every
 * escapable byte at every position of a word and of a block, at the start and end of runs and of the buffer, buffers
 * of nothing but escapes, odd lengths and offsets, random data of the size lldb reads; into pooled direct buffers (the
 * server's), heap buffers and buffers that must grow.
 */
class BulkBytesTest {
    private static final byte[] ESCAPABLE = {'$', '#', '}', '*'};
    /** Bytes next to the escapable ones in value, which a wrong bit trick would take for them. */
    private static final byte[] NEIGHBOURS = {
        '"',
        '%',
        '|',
        '~',
        ')',
        '+',
        0x03,
        0x04,
        0x0a,
        0x5d,
        (byte) 0xa3,
        (byte) 0xa4,
        (byte) 0xaa,
        (byte) 0xfd,
        0,
        (byte) 0xff,
        0x7f,
        (byte) 0x80
    };

    private static final IntFunction<ByteBuf> POOLED_DIRECT = PooledByteBufAllocator.DEFAULT::directBuffer;
    private static final IntFunction<ByteBuf> HEAP = Unpooled::buffer;

    /** The escaped bytes and their sum, by the protocol's definition. */
    private static byte[] expectedEscaped(byte[] data, int from, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < from + length; i++) {
            int b = data[i] & 0xff;
            if (b == '$' || b == '#' || b == '}' || b == '*') {
                out.write('}');
                out.write(b ^ 0x20);
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static int sum(byte[] bytes) {
        int sum = 0;
        for (byte b : bytes) {
            sum += b & 0xff;
        }
        return sum;
    }

    private static void assertEscaped(byte[] data, int from, int length, IntFunction<ByteBuf> buffers, int capacity) {
        ByteBuf out = buffers.apply(capacity);
        try {
            out.writeByte('$'); // as a frame starts, so the data does not start at the buffer's start
            int got = BulkBytes.escaped(data, from, length, out);
            byte[] written = new byte[out.readableBytes() - 1];
            out.getBytes(1, written);
            byte[] expected = expectedEscaped(data, from, length);
            assertThat(written).as("escaped [%d, +%d)", from, length).isEqualTo(expected);
            assertThat(got & 0xff).as("checksum of [%d, +%d)", from, length).isEqualTo(sum(expected) & 0xff);
        } finally {
            out.release();
        }
    }

    private static void assertHex(byte[] data, int from, int length, IntFunction<ByteBuf> buffers, int capacity) {
        ByteBuf out = buffers.apply(capacity);
        try {
            out.writeByte('$');
            int got = BulkBytes.hex(data, from, length, out);
            byte[] written = new byte[out.readableBytes() - 1];
            out.getBytes(1, written);
            byte[] expected =
                    HexFormat.of().formatHex(data, from, from + length).getBytes();
            assertThat(written).as("hex of [%d, +%d)", from, length).isEqualTo(expected);
            assertThat(got & 0xff).as("checksum of [%d, +%d)", from, length).isEqualTo(sum(expected) & 0xff);
        } finally {
            out.release();
        }
    }

    /** A reply read into its own buffer ({@code x}, {@code m}), short of its capacity by {@code unused} bytes. */
    private static void assertInPlace(byte[] data, int from, int length, int unused, boolean hex) {
        Reply.MemoryBuffer reply =
                hex ? Reply.MemoryBuffer.hex(length + unused) : Reply.MemoryBuffer.binary(length + unused);
        ByteBuf frame = null;
        try {
            java.nio.ByteBuffer raw = reply.rawBytes();
            raw.put(data, from, length);
            for (int i = 0; i < unused; i++) {
                raw.put((byte) '#'); // read but not part of the reply: must not be sent
            }
            frame = ReplyEncoder.frameInPlace(reply.filled(length));
            reply = null;
            byte[] expected = hex
                    ? HexFormat.of().formatHex(data, from, from + length).getBytes()
                    : expectedEscaped(data, from, length);
            byte[] framed = bytesOf(frame);
            assertThat(framed.length).isEqualTo(expected.length + 4);
            assertThat(java.util.Arrays.copyOfRange(framed, 1, framed.length - 3))
                    .as("%s in place [%d, +%d)", hex ? "hex" : "escaped", from, length)
                    .isEqualTo(expected);
            assertThat(new String(framed, 0, 1) + new String(framed, framed.length - 3, 3))
                    .isEqualTo(String.format("$#%02x", sum(expected) & 0xff));
        } finally {
            if (reply != null) {
                reply.release();
            }
            if (frame != null) {
                assertThat(frame.release()).isTrue();
            }
        }
    }

    private static void assertBoth(byte[] data, int from, int length) {
        for (boolean hex : new boolean[] {false, true}) {
            assertInPlace(data, from, length, 0, hex);
            assertInPlace(data, from, length, 9, hex);
        }
        for (IntFunction<ByteBuf> buffers : java.util.List.of(POOLED_DIRECT, HEAP)) {
            // Room for all of it, and a buffer that must grow as it goes.
            assertEscaped(data, from, length, buffers, 2 * length + 16);
            assertEscaped(data, from, length, buffers, 1);
            assertHex(data, from, length, buffers, 2 * length + 16);
            assertHex(data, from, length, buffers, 1);
        }
    }

    @Test
    void wordsAreWhatTheServerUses() {
        assertThat(BulkBytes.WORDS).isTrue();
        ByteBuf reply = ByteBufAllocator.DEFAULT.ioBuffer(64);
        try {
            assertThat(reply.hasMemoryAddress())
                    .as("a reply buffer is written by address")
                    .isTrue();
        } finally {
            reply.release();
        }
    }

    @Test
    void eachEscapableByteAtEveryPositionOfTwoWords() {
        for (byte escapable : ESCAPABLE) {
            for (int length = 1; length <= 24; length++) {
                for (int at = 0; at < length; at++) {
                    byte[] data = new byte[length];
                    java.util.Arrays.fill(data, (byte) 'a');
                    data[at] = escapable;
                    assertBoth(data, 0, length);
                }
            }
        }
    }

    @Test
    void escapesOnlyTheFourBytesNotTheirNeighbours() {
        byte[] data = new byte[256 * 9];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 256);
        }
        for (int from = 0; from < 9; from++) {
            assertBoth(data, from, data.length - 9);
        }
        byte[] neighbours = new byte[NEIGHBOURS.length * 8];
        for (int i = 0; i < neighbours.length; i++) {
            neighbours[i] = NEIGHBOURS[i % NEIGHBOURS.length];
        }
        assertBoth(neighbours, 0, neighbours.length);
        long[] words = {0x2324_7d2a_2324_7d2aL, 0x2223_2425_7c7d_7e2aL, 0xa3a4fdaa_03040a5dL, 0x7d00_0000_0000_0023L};
        for (long v : words) {
            byte[] word = new byte[8];
            for (int k = 0; k < 8; k++) {
                word[k] = (byte) (v >>> (8 * k));
            }
            assertBoth(word, 0, 8);
        }
    }

    @Test
    void pairsOfEscapablesAtEveryPositionOfAWord() {
        for (byte first : ESCAPABLE) {
            for (byte second : ESCAPABLE) {
                for (int a = 0; a < 17; a++) {
                    for (int b = a; b < 17; b++) {
                        byte[] data = new byte[17];
                        java.util.Arrays.fill(data, (byte) 0x20);
                        data[a] = first;
                        data[b] = second;
                        assertBoth(data, 0, data.length);
                        assertBoth(data, 1, data.length - 1);
                    }
                }
            }
        }
    }

    @Test
    void aBufferOfNothingButEscapes() {
        for (byte escapable : ESCAPABLE) {
            byte[] data = new byte[3 * 1024 + 13];
            java.util.Arrays.fill(data, escapable);
            assertBoth(data, 0, data.length);
            assertBoth(data, 5, data.length - 5);
        }
        byte[] mixed = new byte[4099];
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = ESCAPABLE[i % 4];
        }
        assertBoth(mixed, 0, mixed.length);
    }

    @Test
    void escapesAtBlockBoundariesAndTheEnd() {
        byte[] data = new byte[3 * 1024 + 21];
        java.util.Arrays.fill(data, (byte) 0x11);
        for (int at : new int[] {0, 7, 8, 1015, 1016, 1023, 1024, 1025, 2047, 2048, 3071, 3072, data.length - 1}) {
            data[at] = ESCAPABLE[at % 4];
        }
        for (int from = 0; from < 3; from++) {
            for (int cut = 0; cut < 10; cut++) {
                assertBoth(data, from, data.length - from - cut);
            }
        }
    }

    @Test
    void randomDataOfLldbsReadSize() {
        Random random = new Random(13);
        for (int round = 0; round < 8; round++) {
            byte[] data = new byte[131_002 + round];
            random.nextBytes(data);
            assertBoth(data, round, 131_002 - round);
        }
        assertBoth(new byte[0], 0, 0);
    }

    @Test
    void theByteAtATimeFallbackWritesTheSame() {
        byte[] data = new byte[5000];
        new Random(3).nextBytes(data);
        java.util.Arrays.fill(data, 4000, 4100, (byte) '}');
        for (int from : new int[] {0, 1, 7}) {
            int length = data.length - from - 3;
            ByteBuf escaped = Unpooled.buffer();
            ByteBuf hex = Unpooled.buffer();
            try {
                int escapedSum = ReplyEncoder.escapedByBytes(data, from, length, escaped);
                int hexSum = ReplyEncoder.hexByBytes(data, from, length, hex);
                byte[] expected = expectedEscaped(data, from, length);
                assertThat(bytesOf(escaped)).isEqualTo(expected);
                assertThat(escapedSum & 0xff).isEqualTo(sum(expected) & 0xff);
                byte[] digits =
                        HexFormat.of().formatHex(data, from, from + length).getBytes();
                assertThat(bytesOf(hex)).isEqualTo(digits);
                assertThat(hexSum & 0xff).isEqualTo(sum(digits) & 0xff);
            } finally {
                escaped.release();
                hex.release();
            }
        }
    }

    private static byte[] bytesOf(ByteBuf buffer) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), bytes);
        return bytes;
    }

    @Test
    void framesAreTheProtocolsFrames() {
        Random random = new Random(7);
        byte[] data = new byte[70_001];
        random.nextBytes(data);
        assertFrame(new Reply.Binary("", data), expectedEscaped(data, 0, data.length));
        assertFrame(new Reply.Binary("F3;", data, 3, 65_536), expectedEscaped(data, 3, 65_536));
        assertFrame(new Reply.HexData("", data), HexFormat.of().formatHex(data).getBytes());
        assertFrame(
                new Reply.HexData("O", data, 5, 4096),
                HexFormat.of().formatHex(data, 5, 4101).getBytes());
    }

    /** {@code reply} framed into a reply buffer is {@code $}, its head, {@code body}, {@code #} and the sum. */
    private static void assertFrame(Reply reply, byte[] body) {
        String head = reply instanceof Reply.Binary b ? b.head() : ((Reply.HexData) reply).head();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write('$');
        expected.writeBytes(head.getBytes());
        expected.writeBytes(body);
        expected.write('#');
        int sum = head.chars().sum() + sum(body);
        expected.writeBytes(String.format("%02x", sum & 0xff).getBytes());
        ByteBuf out = ByteBufAllocator.DEFAULT.ioBuffer(16);
        try {
            ReplyEncoder.frame(reply, out);
            byte[] framed = new byte[out.readableBytes()];
            out.getBytes(0, framed);
            assertThat(framed).isEqualTo(expected.toByteArray());
        } finally {
            out.release();
        }
    }
}
