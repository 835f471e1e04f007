package io.coredumptools.rsp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Frames outgoing {@link Packet}s as {@code $payload#cs}, escaping {@code $ # } *} (as {@code }} and the byte
 * XOR 0x20) so binary replies (qXfer, vFile:pread) pass unchanged. While acks are on, the frame is kept to be
 * resent when the client answers {@code -}.
 */
public final class RspFrameEncoder extends MessageToByteEncoder<Packet> {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final WireState state;

    public RspFrameEncoder(WireState state) {
        super(Packet.class);
        this.state = state;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Packet msg, boolean preferDirect) {
        return ctx.alloc().heapBuffer(msg.payload().length + 8 + msg.payload().length / 16);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Packet msg, ByteBuf out) {
        int start = out.writerIndex();
        frame(msg.payload(), out);
        if (state.acks()) {
            byte[] frame = new byte[out.writerIndex() - start];
            out.getBytes(start, frame);
            state.lastFrame(frame);
        }
    }

    /** Writes {@code $escaped#cs} for {@code payload} into {@code out}. */
    public static void frame(byte[] payload, ByteBuf out) {
        out.writeByte('$');
        int sum = 0;
        for (byte b : payload) {
            if (b == '$' || b == '#' || b == '}' || b == '*') {
                out.writeByte('}');
                byte escaped = (byte) (b ^ 0x20);
                out.writeByte(escaped);
                sum += '}' + (escaped & 0xff);
            } else {
                out.writeByte(b);
                sum += b & 0xff;
            }
        }
        out.writeByte('#');
        out.writeByte(HEX[(sum >> 4) & 0xf]);
        out.writeByte(HEX[sum & 0xf]);
    }
}
