package io.coredumptools.rsp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the byte stream from a client into {@link Packet}s and {@link Interrupt}s.
 *
 * <ul>
 *   <li>{@code $payload#cs}: the checksum (sum of the payload bytes as sent, mod 256) is verified. While acks are
 *       on, a good packet is answered with {@code +} and a bad one with {@code -} (the client resends it); with
 *       acks off a bad packet is dropped. {@code }} escapes are resolved (binary data of {@code X} etc.).</li>
 *   <li>0x03 outside a packet is an interrupt, at any time (also while a resume runs).</li>
 *   <li>{@code -} from the client asks for the last frame again (while acks are on); {@code +} is consumed.</li>
 *   <li>Anything else outside a packet is garbage and skipped; a packet longer than the limit is dropped.</li>
 * </ul>
 */
public final class RspFrameDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(RspFrameDecoder.class);
    private static final byte[] ACK = {'+'};
    private static final byte[] NAK = {'-'};

    private final WireState state;
    private final int maxPacket;

    public RspFrameDecoder(WireState state, int maxPacket) {
        this.state = state;
        this.maxPacket = maxPacket;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            byte b = in.getByte(start);
            switch (b) {
                case '$' -> {
                    int hash = in.indexOf(start + 1, in.writerIndex(), (byte) '#');
                    if (hash < 0) {
                        if (in.readableBytes() > maxPacket + 4) {
                            log.warn("dropping an unterminated packet of more than {} bytes", maxPacket);
                            in.skipBytes(in.readableBytes());
                            nak(ctx);
                        }
                        return; // wait for the rest
                    }
                    if (hash + 2 >= in.writerIndex()) {
                        return; // the two checksum digits are not here yet
                    }
                    int sum = 0;
                    for (int i = start + 1; i < hash; i++) {
                        sum += in.getByte(i) & 0xff;
                    }
                    int expected = hexDigit(in.getByte(hash + 1)) << 4 | hexDigit(in.getByte(hash + 2));
                    ByteBuf raw = in.slice(start + 1, hash - start - 1);
                    in.readerIndex(hash + 3);
                    if (expected < 0 || (sum & 0xff) != expected) {
                        log.debug("bad checksum: {}", Printable.of(bytes(raw), 80));
                        if (state.acks()) {
                            nak(ctx);
                        }
                        continue;
                    }
                    if (raw.readableBytes() > maxPacket) {
                        log.warn("dropping a packet of {} bytes (limit {})", raw.readableBytes(), maxPacket);
                        if (state.acks()) {
                            nak(ctx);
                        }
                        continue;
                    }
                    if (state.acks()) {
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(ACK));
                    }
                    out.add(new Packet(unescape(raw)));
                }
                case 0x03 -> {
                    in.skipBytes(1);
                    out.add(Interrupt.INSTANCE);
                }
                case '-' -> {
                    in.skipBytes(1);
                    byte[] last = state.lastFrame();
                    if (state.acks() && last != null) {
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(last));
                    }
                }
                default -> in.skipBytes(1); // '+' acks and garbage between packets
            }
        }
    }

    private static void nak(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(NAK));
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }

    /** Resolves {@code }x} escapes (x XOR 0x20). A trailing lone {@code }} is kept as is. */
    static byte[] unescape(ByteBuf raw) {
        int n = raw.readableBytes();
        int at = raw.readerIndex();
        if (raw.indexOf(at, at + n, (byte) '}') < 0) {
            return bytes(raw);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        for (int i = 0; i < n; i++) {
            byte b = raw.getByte(at + i);
            if (b == '}' && i + 1 < n) {
                out.write((raw.getByte(at + ++i) ^ 0x20) & 0xff);
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** The value of an ASCII hex digit, or -1 (a bad checksum digit is a bad checksum, not an exception). */
    private static int hexDigit(byte c) {
        return Character.digit((char) (c & 0xff), 16);
    }
}
