package io.coredumptools.rsp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Turns a client's byte stream into {@link Frame}s, and does nothing else (acks, resends and no-ack mode are
 * {@link ProtocolState}'s):
 *
 * <ul>
 *   <li>{@code $payload#cs}: a {@link Packet} (escapes {@code }x} resolved) when the checksum (the sum of the
 *       payload bytes as sent, mod 256) matches, else {@link ControlFrame#BAD_CHECKSUM};
 *   <li>0x03, {@code +}, {@code -} outside a packet: INTERRUPT, ACK, NAK;
 *   <li>a packet longer than the limit: discarded up to its {@code #cs}, then one {@link ControlFrame#OVERLONG}.
 *       No byte inside it counts as 0x03 or {@code -}, and it is never held in memory whole;
 *   <li>any other byte outside a packet is skipped.
 * </ul>
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxPacket;
    /** Inside an overlong packet: bytes are dropped until its '#' and two checksum digits. */
    private boolean discarding;
    /** Checksum digits of the overlong packet still to skip after its '#' (-1: the '#' is not seen yet). */
    private int checksumLeft = -1;

    public FrameDecoder(int maxPacket) {
        this.maxPacket = maxPacket;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (discarding) {
                if (!discard(in, out)) {
                    return;
                }
                continue;
            }
            int start = in.readerIndex();
            byte b = in.getByte(start);
            switch (b) {
                case '$' -> {
                    if (!packet(in, out)) {
                        return; // wait for the rest
                    }
                }
                case 0x03 -> {
                    in.skipBytes(1);
                    out.add(ControlFrame.INTERRUPT);
                }
                case '+' -> {
                    in.skipBytes(1);
                    out.add(ControlFrame.ACK);
                }
                case '-' -> {
                    in.skipBytes(1);
                    out.add(ControlFrame.NAK);
                }
                default -> {
                    // garbage between packets: skip up to the next byte that means something
                    int next = in.forEachByte(
                            start, in.readableBytes(), c -> c != '$' && c != 0x03 && c != '+' && c != '-');
                    in.readerIndex(next < 0 ? in.writerIndex() : next);
                }
            }
        }
    }

    /** Decodes the packet at the reader index; false when more bytes are needed. */
    private boolean packet(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int limit = Math.min(end, start + 1 + maxPacket + 1);
        int hash = in.indexOf(start + 1, limit, (byte) '#');
        if (hash < 0) {
            if (end - start > maxPacket + 1) {
                // Longer than any packet may be: drop it, what is here and the rest as it comes.
                in.readerIndex(limit);
                discarding = true;
                checksumLeft = -1;
                return true;
            }
            return false;
        }
        if (hash + 2 >= end) {
            return false; // the two checksum digits are not here yet
        }
        int sum = 0;
        for (int i = start + 1; i < hash; i++) {
            sum += in.getByte(i) & 0xff;
        }
        int expected = Hex.digit(in.getByte(hash + 1)) << 4 | Hex.digit(in.getByte(hash + 2));
        int length = hash - start - 1;
        if (length > maxPacket) {
            in.readerIndex(hash + 3);
            out.add(ControlFrame.OVERLONG);
            return true;
        }
        if (expected < 0 || (sum & 0xff) != expected) {
            in.readerIndex(hash + 3);
            out.add(ControlFrame.BAD_CHECKSUM);
            return true;
        }
        out.add(new Packet(unescape(in, start + 1, length)));
        in.readerIndex(hash + 3);
        return true;
    }

    /** Drops the rest of an overlong packet; true once its end was passed (OVERLONG emitted). */
    private boolean discard(ByteBuf in, List<Object> out) {
        if (checksumLeft < 0) {
            int hash = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '#');
            if (hash < 0) {
                in.readerIndex(in.writerIndex());
                return false;
            }
            in.readerIndex(hash + 1);
            checksumLeft = 2;
        }
        int skip = Math.min(checksumLeft, in.readableBytes());
        in.skipBytes(skip);
        checksumLeft -= skip;
        if (checksumLeft > 0) {
            return false;
        }
        discarding = false;
        checksumLeft = -1;
        out.add(ControlFrame.OVERLONG);
        return true;
    }

    /** The payload with {@code }x} escapes resolved (x XOR 0x20). A trailing lone {@code }} is kept as is. */
    static byte[] unescape(ByteBuf raw, int at, int n) {
        if (raw.indexOf(at, at + n, (byte) '}') < 0) {
            byte[] bytes = new byte[n];
            raw.getBytes(at, bytes);
            return bytes;
        }
        byte[] out = new byte[n];
        int w = 0;
        for (int i = 0; i < n; i++) {
            byte b = raw.getByte(at + i);
            if (b == '}' && i + 1 < n) {
                out[w++] = (byte) (raw.getByte(at + ++i) ^ 0x20);
            } else {
                out[w++] = b;
            }
        }
        return java.util.Arrays.copyOf(out, w);
    }
}
