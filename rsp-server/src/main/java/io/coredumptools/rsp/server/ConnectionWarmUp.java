package io.coredumptools.rsp.server;

import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.reply.ReplyEncoder;
import io.coredumptools.rsp.request.Feature;
import io.coredumptools.rsp.request.RequestParser;
import io.coredumptools.rsp.wire.FrameDecoder;
import io.coredumptools.rsp.wire.Packet;
import io.coredumptools.rsp.wire.ProtocolState;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One throwaway connection made by the server to itself before it listens, through the very pipeline classes
 * of a real connection (accept, read, frame decoding, the ack, request parsing, reply encoding) on the loop the
 * first client will get: the first connection of a JVM otherwise loads and links some 130 classes between its
 * packet and the ack, 25-60 ms on a busy machine, while gdb retransmits after 2 s and the product promises a
 * first reply within 50 ms. Nothing of the session runs (no admission, no target): the warm-up server is not the
 * real one and answers every packet with the empty reply. A failure only costs speed.
 */
final class ConnectionWarmUp {
    private static final Logger log = LoggerFactory.getLogger(ConnectionWarmUp.class);
    private static final int TIMEOUT_MS = 10_000;

    private ConnectionWarmUp() {}

    /**
     * @param transport the server's (the warm-up loads and links its classes too)
     * @param released told each warm-up connection's channel when it has ended (the loop it held is free again)
     */
    static void run(EventLoopGroup boss, EventLoopGroup connections, Transport transport, Consumer<Channel> released) {
        long started = System.nanoTime();
        Channel listener = null;
        try {
            listener = new ServerBootstrap()
                    .group(boss, connections)
                    .channel(transport.serverChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.closeFuture().addListener(f -> released.accept(ch));
                            ProtocolState wire = new ProtocolState();
                            ch.pipeline()
                                    .addLast(OrderlyClose.INSTANCE)
                                    .addLast(new FrameDecoder(Feature.PACKET_SIZE))
                                    .addLast(wire)
                                    .addLast(new ReplyEncoder(0))
                                    .addLast(new EmptyReplies());
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0)
                    .sync()
                    .channel();
            exchange(((InetSocketAddress) listener.localAddress()).getPort());
            log.debug("connection warm-up: {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            log.debug("connection warm-up failed (the first connection may be slower): {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (listener != null) {
                listener.close().awaitUninterruptibly(TIMEOUT_MS);
            }
        }
    }

    /** qSupported with acks, as gdb starts, then the connection closes. */
    private static void exchange(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            String payload = "qSupported:multiprocess+;swbreak+;hwbreak+";
            int sum = 0;
            for (byte b : payload.getBytes(StandardCharsets.US_ASCII)) {
                sum += b & 0xff;
            }
            socket.getOutputStream()
                    .write(("$" + payload + String.format("#%02x", sum & 0xff)).getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            int hashes = -1;
            int c;
            while ((c = in.read()) != -1) {
                if (c == '#') {
                    hashes = 0;
                } else if (hashes >= 0 && ++hashes == 2) {
                    break; // the reply's checksum: the exchange is complete
                }
            }
        }
    }

    /** Parses each packet as a session would, and answers it with the empty reply. */
    private static final class EmptyReplies extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Packet packet) {
                RequestParser.parse(packet.payload());
                ctx.writeAndFlush(Reply.EMPTY);
            }
        }
    }
}
