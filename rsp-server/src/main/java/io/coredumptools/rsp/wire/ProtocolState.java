package io.coredumptools.rsp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acknowledgment protocol of one connection, on its event loop. While acks are on (until
 * {@code QStartNoAckMode}):
 *
 * <ul>
 *   <li>a good packet is answered {@code +} and a bad checksum {@code -}, written and flushed here before the
 *       packet goes on, so that no work behind this handler (a slow first request) delays an ack past gdb's 2 s
 *       retransmission timeout;
 *   <li>a packet byte-identical to the previous one is the client's retransmission (gdb resends when our ack is
 *       late) when it came in the same read as the previous one (a client that waits for replies never sends
 *       twice before it has one) or before the previous one was answered: it is acked and dropped, so that the
 *       client gets one reply and its next packet's reply is not taken for this one's ("Remote replied
 *       unexpectedly to 'vMustReplyEmpty'"). Only qSupported, vMustReplyEmpty and QStartNoAckMode are sent with
 *       acks on by gdb and lldb, and all three are idempotent;
 *   <li>a {@code -} from the client resends our last frame, at most one resend in flight at a time (a flood of
 *       naks cannot queue copies).
 * </ul>
 *
 * Packets, overlong packets and interrupts go on to the session.
 */
public final class ProtocolState extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(ProtocolState.class);
    private static final ByteBuf ACK = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {'+'}));
    private static final ByteBuf NAK = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {'-'}));

    private volatile boolean acks = true;
    /** Our last frame while acks are on (a retained duplicate), for resends. */
    private ByteBuf lastFrame;

    private boolean resendInFlight;
    /** The last packet passed on while acks are on (null: none yet, or acks are off). */
    private byte[] previous;
    /** ... and whether no reply frame went out since it came. */
    private boolean previousUnanswered;
    /** ... and whether it came in the read being handled now. */
    private boolean previousInThisRead;

    public boolean acks() {
        return acks;
    }

    /** From the reply after which acks stop (the OK to QStartNoAckMode): later packets are neither acked nor expected to be. */
    public void disableAcks() {
        acks = false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Packet packet) {
            if (!acks) {
                ctx.fireChannelRead(msg);
                return;
            }
            ctx.writeAndFlush(ACK.duplicate());
            byte[] payload = packet.payload();
            if (previous != null && (previousUnanswered || previousInThisRead) && Arrays.equals(previous, payload)) {
                log.debug("a retransmission of {} is acked and dropped", Printable.of(payload, 60));
                return;
            }
            previous = payload;
            previousUnanswered = true;
            previousInThisRead = true;
            ctx.fireChannelRead(msg);
            return;
        }
        if (!(msg instanceof ControlFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        switch (frame) {
            case ACK -> {
                // the client has our frame: nothing to do
            }
            case NAK -> resend(ctx);
            case BAD_CHECKSUM -> {
                if (acks) {
                    ctx.writeAndFlush(NAK.duplicate());
                }
            }
            case OVERLONG -> {
                // received whole, if not kept: acknowledged, and the session answers it with an error
                if (acks) {
                    ctx.writeAndFlush(ACK.duplicate());
                }
                ctx.fireChannelRead(msg);
            }
            case INTERRUPT -> ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        previousInThisRead = false;
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    private void resend(ChannelHandlerContext ctx) {
        if (!acks || lastFrame == null || resendInFlight) {
            return;
        }
        resendInFlight = true;
        ctx.writeAndFlush(lastFrame.retainedDuplicate()).addListener(f -> resendInFlight = false);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf frame && frame.readableBytes() > 1) {
            previousUnanswered = false;
            if (acks) {
                release();
                lastFrame = frame.retainedDuplicate();
            } else if (lastFrame != null) {
                release();
            }
        }
        ctx.write(msg, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    private void release() {
        if (lastFrame != null) {
            lastFrame.release();
            lastFrame = null;
        }
    }
}
