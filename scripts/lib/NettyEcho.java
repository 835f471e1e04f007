/*
 * NettyEcho.java - the least a Netty server can do per packet (scripts/bench-packets.sh): one event loop on the
 * transport corestub uses (native epoll where it loads, NIO otherwise), one handler that answers every read with
 * "$OK#9a", run with the launcher's JVM flags. Against rsp-echo it shows what the JVM and Netty's transport
 * cost; against corestub, what corestub's own packet code costs.
 *
 * Usage: java -cp cli/target/corestub.jar scripts/lib/NettyEcho.java PORT   (the jar's Class-Path names Netty;
 *        127.0.0.1; runs until killed)
 */
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.nio.charset.StandardCharsets;

public final class NettyEcho {
    public static void main(String[] args) throws InterruptedException {
        byte[] ok = "$OK#9a".getBytes(StandardCharsets.US_ASCII);
        boolean epoll = Epoll.isAvailable();
        System.err.println("NettyEcho: transport " + (epoll ? "epoll" : "nio"));
        MultiThreadIoEventLoopGroup loop =
                new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        new ServerBootstrap()
                .group(loop)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext context, Object message) {
                                ((ByteBuf) message).release();
                                context.writeAndFlush(Unpooled.wrappedBuffer(ok));
                            }
                        });
                    }
                })
                .bind("127.0.0.1", Integer.parseInt(args[0]))
                .sync()
                .channel()
                .closeFuture()
                .sync();
    }
}
