package io.coredumptools.rsp.server;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.rsp.wire.Interrupt;
import io.coredumptools.rsp.wire.Packet;
import io.coredumptools.rsp.wire.WireState;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The last handler of a connection's pipeline: hands decoded packets and interrupts to its {@link Session}. */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    private final WireState wire;
    private final LoadedCore core;
    private final CallBudget budget;
    private final RspServer server;
    private Session session;

    ConnectionHandler(WireState wire, LoadedCore core, CallBudget budget, RspServer server) {
        this.wire = wire;
        this.core = core;
        this.budget = budget;
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        try {
            Session[] self = new Session[1];
            session = new Session(ctx.channel(), wire, core, budget, server.options(), () -> server.closed(self[0]));
            self[0] = session;
            server.opened(session);
        } catch (RuntimeException e) {
            log.error("cannot start a session for {}: {}", ctx.channel().remoteAddress(), e.toString());
            ctx.close();
            server.closed(null);
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (session == null) {
            return;
        }
        if (msg instanceof Packet packet) {
            session.received(packet);
        } else if (msg instanceof Interrupt) {
            session.interrupt();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            session.close();
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
