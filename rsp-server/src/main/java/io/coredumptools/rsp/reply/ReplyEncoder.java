package io.coredumptools.rsp.reply;

import io.coredumptools.rsp.wire.Printable;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames each {@link Reply} as {@code $payload#cs} in one buffer of its final size: hex data needs no escapes;
 * binary data has the bytes {@code $ # } *} sent as {@code }} and the byte XOR 0x20. Both are written a word at a
 * time by {@link BulkBytes} (byte by byte where it cannot), the checksum summed on the way.
 */
public final class ReplyEncoder extends MessageToByteEncoder<Reply> {
    private static final Logger PROTOCOL = LoggerFactory.getLogger("io.coredumptools.rsp.protocol");
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_HIGH = new byte[256];
    private static final byte[] HEX_LOW = new byte[256];
    /** The checksum contribution of a byte written as two hex digits. */
    private static final int[] PAIR_SUM = new int[256];
    /** The bytes a binary payload escapes: {@code $ # } *}. */
    private static final boolean[] NEEDS_ESCAPE = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            HEX_HIGH[b] = DIGITS[b >> 4];
            HEX_LOW[b] = DIGITS[b & 0xf];
            PAIR_SUM[b] = HEX_HIGH[b] + HEX_LOW[b];
        }
        for (char c : new char[] {'$', '#', '}', '*'}) {
            NEEDS_ESCAPE[c] = true;
        }
    }

    private final int connection;

    /** {@code connection}: the number the protocol log shows for this connection. */
    public ReplyEncoder(int connection) {
        super(Reply.class);
        this.connection = connection;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof Reply && msg != Reply.NONE;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Reply msg, boolean preferDirect) {
        int size = 4;
        if (msg instanceof Reply.Text t) {
            size += BulkBytes.room(t.text().length());
        } else if (msg instanceof Reply.HexData h) {
            size += h.head().length() + BulkBytes.room(h.length());
        } else if (msg instanceof Reply.Binary b) {
            size += b.head().length() + BulkBytes.room(b.length());
        }
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    /** A {@link Reply.MemoryBuffer} is framed in its own buffer, which goes on; the others are encoded into new ones. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!(msg instanceof Reply.MemoryBuffer reply)) {
            super.write(ctx, msg, promise);
            return;
        }
        ByteBuf frame;
        try {
            frame = frameInPlace(reply);
        } catch (RuntimeException | Error e) {
            reply.release();
            throw e;
        }
        log(frame, frame.readerIndex());
        ctx.write(frame, promise);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Reply msg, ByteBuf out) {
        int start = out.writerIndex();
        frame(msg, out);
        log(out, start);
    }

    private void log(ByteBuf out, int start) {
        if (PROTOCOL.isDebugEnabled()) {
            byte[] framed = new byte[out.writerIndex() - start - 4];
            out.getBytes(start + 1, framed);
            PROTOCOL.debug("[{}] -> {}", connection, Printable.of(framed, 200));
        }
    }

    /**
     * Frames {@code reply} in its own buffer, its data converted in place; returns that buffer (the reply's reference
     * becomes the frame's).
     */
    static ByteBuf frameInPlace(Reply.MemoryBuffer reply) {
        ByteBuf out = reply.frame();
        int sum;
        if (BulkBytes.WORDS && out.hasMemoryAddress()) {
            sum = reply.isHex()
                    ? BulkBytes.hexInPlace(out, reply.raw(), reply.length())
                    : BulkBytes.escapedInPlace(out, reply.raw(), reply.length());
        } else {
            byte[] data = reply.data();
            sum = reply.isHex() ? hexByBytes(data, 0, data.length, out) : escapedByBytes(data, 0, data.length, out);
        }
        trailer(sum, out);
        return out;
    }

    /** Writes {@code $payload#cs} of {@code reply} into {@code out}. */
    public static void frame(Reply reply, ByteBuf out) {
        out.writeByte('$');
        int sum = 0;
        if (reply instanceof Reply.Text t) {
            sum = escaped(t.bytes(), 0, t.text().length(), out);
        } else if (reply instanceof Reply.HexData h) {
            sum = ascii(h.head(), out) + hex(h.data(), h.from(), h.length(), out);
        } else if (reply instanceof Reply.Binary b) {
            sum = ascii(b.head(), out) + escaped(b.data(), b.from(), b.length(), out);
        } else if (reply instanceof Reply.MemoryBuffer b) {
            sum = b.isHex() ? hex(b.data(), 0, b.length(), out) : escaped(b.data(), 0, b.length(), out);
        }
        trailer(sum, out);
    }

    private static void trailer(int sum, ByteBuf out) {
        out.writeByte('#');
        out.writeByte(DIGITS[(sum >> 4) & 0xf]);
        out.writeByte(DIGITS[sum & 0xf]);
    }

    private static int ascii(String head, ByteBuf out) {
        int sum = 0;
        for (int i = 0; i < head.length(); i++) {
            sum += head.charAt(i);
        }
        out.writeCharSequence(head, StandardCharsets.US_ASCII);
        return sum;
    }

    /** Writes {@code data} as hex digits; returns the checksum of the digits. */
    private static int hex(byte[] data, int from, int length, ByteBuf out) {
        if (BulkBytes.WORDS) {
            return BulkBytes.hex(data, from, length, out);
        }
        return hexByBytes(data, from, length, out);
    }

    /** Writes {@code data} with {@code $ # } *} escaped; returns the checksum of what was written. */
    private static int escaped(byte[] data, int from, int length, ByteBuf out) {
        if (BulkBytes.WORDS) {
            return BulkBytes.escaped(data, from, length, out);
        }
        return escapedByBytes(data, from, length, out);
    }

    /**
     * The byte-at-a-time escape (where {@link BulkBytes} cannot work word-wise): copies the runs between escapes.
     */
    static int escapedByBytes(byte[] data, int from, int length, ByteBuf out) {
        int sum = 0;
        int run = from;
        int end = from + length;
        for (int i = from; i < end; i++) {
            int b = data[i] & 0xff;
            sum += b;
            if (NEEDS_ESCAPE[b]) {
                out.writeBytes(data, run, i - run);
                out.writeByte('}');
                out.writeByte(b ^ 0x20);
                sum += '}' + (b ^ 0x20) - b;
                run = i + 1;
            }
        }
        out.writeBytes(data, run, end - run);
        return sum;
    }

    /** The byte-at-a-time hex (where {@link BulkBytes} cannot work word-wise): two table lookups per byte. */
    static int hexByBytes(byte[] data, int from, int length, ByteBuf out) {
        byte[] digits = new byte[2 * length];
        int sum = 0;
        for (int i = 0; i < length; i++) {
            int b = data[from + i] & 0xff;
            digits[2 * i] = HEX_HIGH[b];
            digits[2 * i + 1] = HEX_LOW[b];
            sum += PAIR_SUM[b];
        }
        out.writeBytes(digits);
        return sum;
    }
}
