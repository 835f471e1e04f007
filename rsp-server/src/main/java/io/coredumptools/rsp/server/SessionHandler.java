package io.coredumptools.rsp.server;

import io.coredumptools.rsp.handlers.Dispatcher;
import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.RequestParser;
import io.coredumptools.rsp.wire.ControlFrame;
import io.coredumptools.rsp.wire.Packet;
import io.coredumptools.rsp.wire.ProtocolState;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection's pipeline: admits the connection (or refuses it past --max-connections,
 * answering its first packet with why), turns each packet into its typed request (once, {@link RequestParser})
 * and hands requests and interrupts to its {@link Session}, and closes an idle connection.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
    /** Every packet as it came and every reply as it went ({@code serve --debug-protocol}). */
    static final Logger PROTOCOL = LoggerFactory.getLogger("io.coredumptools.rsp.protocol");

    private final RspServer server;
    private final int id;
    private final ProtocolState wire;
    private final Dispatcher dispatcher;
    private Session session;
    private boolean refused;
    /** When the client last sent anything (System.nanoTime). */
    private long lastRead = System.nanoTime();

    private ScheduledFuture<?> idleCheck;

    SessionHandler(RspServer server, int id, ProtocolState wire, Dispatcher dispatcher) {
        this.server = server;
        this.id = id;
        this.wire = wire;
        this.dispatcher = dispatcher;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!server.admit()) {
            refused = true;
            log.warn(
                    "refused a connection from {}: {} connections are open (--max-connections {})",
                    ctx.channel().remoteAddress(),
                    server.options().maxConnections(),
                    server.options().maxConnections());
        } else {
            session = server.newSession(id, ctx.channel(), wire, dispatcher);
            long timeout = server.options().idleTimeout().toNanos();
            long period =
                    Math.max(TimeUnit.MILLISECONDS.toNanos(100), Math.min(timeout / 4, TimeUnit.MINUTES.toNanos(1)));
            idleCheck = ctx.executor()
                    .scheduleAtFixedRate(() -> closeIfIdle(ctx, timeout), period, period, TimeUnit.NANOSECONDS);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastRead = System.nanoTime();
        if (PROTOCOL.isDebugEnabled()) {
            PROTOCOL.debug("[{}] <- {}", id, msg == ControlFrame.INTERRUPT ? "^C" : msg);
        }
        if (refused) {
            if (msg instanceof Packet || msg == ControlFrame.OVERLONG) {
                ctx.writeAndFlush(Reply.errorMessage("corestub: too many connections: this server takes "
                                + server.options().maxConnections() + " at once (serve --max-connections)"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        if (msg instanceof Packet packet) {
            session.received(RequestParser.parse(packet.payload()));
        } else if (msg == ControlFrame.OVERLONG) {
            session.received(RequestParser.overlong());
        } else if (msg == ControlFrame.INTERRUPT) {
            session.interrupt();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            session.drain();
        }
        super.channelWritabilityChanged(ctx);
    }

    /** Closes the connection when the client sent nothing for the idle timeout while nothing ran for it. */
    private void closeIfIdle(ChannelHandlerContext ctx, long timeoutNanos) {
        if (!session.idle()) {
            lastRead = System.nanoTime(); // a long call is not idleness
            return;
        }
        if (System.nanoTime() - lastRead >= timeoutNanos) {
            log.info(
                    "session {}: idle for {} s (--idle-timeout): closing",
                    session.id(),
                    server.options().idleTimeout().toSeconds());
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        if (session != null) {
            session.close();
        } else if (!refused) {
            server.released(ctx.channel(), false);
        }
        if (refused) {
            server.released(ctx.channel(), false);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("connection {}: {}", ctx.channel().remoteAddress(), cause.toString(), cause);
        }
        ctx.close();
    }
}
