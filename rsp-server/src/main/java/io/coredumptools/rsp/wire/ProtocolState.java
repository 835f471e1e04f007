package io.coredumptools.rsp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * The acknowledgment protocol of one connection, on its event loop: while acks are on (until
 * {@code QStartNoAckMode}), a good packet is answered {@code +} and a bad checksum {@code -}; a {@code -} from
 * the client resends our last frame, at most one resend in flight at a time (a flood of naks cannot queue
 * copies). Packets, overlong packets and interrupts go on to the session.
 */
public final class ProtocolState extends ChannelDuplexHandler {
    private static final ByteBuf ACK = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {'+'}));
    private static final ByteBuf NAK = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {'-'}));

    private volatile boolean acks = true;
    /** Our last frame while acks are on (a retained duplicate), for resends. */
    private ByteBuf lastFrame;

    private boolean resendInFlight;

    public boolean acks() {
        return acks;
    }

    /** From the reply after which acks stop (the OK to QStartNoAckMode): later packets are neither acked nor expected to be. */
    public void disableAcks() {
        acks = false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Packet) {
            if (acks) {
                ctx.write(ACK.duplicate());
            }
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
                    ctx.write(NAK.duplicate());
                }
            }
            case OVERLONG -> {
                // received whole, if not kept: acknowledged, and the session answers it with an error
                if (acks) {
                    ctx.write(ACK.duplicate());
                }
                ctx.fireChannelRead(msg);
            }
            case INTERRUPT -> ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
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
