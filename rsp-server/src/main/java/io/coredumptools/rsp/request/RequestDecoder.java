package io.coredumptools.rsp.request;

import io.coredumptools.rsp.wire.ControlFrame;
import io.coredumptools.rsp.wire.Packet;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each packet becomes its typed {@link Request}, once; an overlong packet a malformed one; interrupts pass. The
 * protocol log ({@code io.coredumptools.rsp.protocol} at DEBUG) shows each packet as it came.
 */
public final class RequestDecoder extends MessageToMessageDecoder<Object> {
    public static final Logger PROTOCOL = LoggerFactory.getLogger("io.coredumptools.rsp.protocol");

    private final int connection;

    /** {@code connection}: the number the protocol log shows for this connection. */
    public RequestDecoder(int connection) {
        this.connection = connection;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Object frame, List<Object> out) {
        if (PROTOCOL.isDebugEnabled()) {
            PROTOCOL.debug(
                    "[{}] <- {}",
                    connection,
                    frame instanceof Packet p ? p : frame == ControlFrame.INTERRUPT ? "^C" : frame);
        }
        if (frame instanceof Packet packet) {
            out.add(RequestParser.parse(packet.payload()));
        } else if (frame == ControlFrame.OVERLONG) {
            out.add(RequestParser.overlong());
        } else {
            out.add(frame);
        }
    }
}
