package io.coredumptools.rsp.server;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.rsp.handlers.BaseHandler;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.rsp.target.MonitorCommands;
import io.coredumptools.rsp.wire.RspFrameDecoder;
import io.coredumptools.rsp.wire.RspFrameEncoder;
import io.coredumptools.rsp.wire.WireState;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GDB remote protocol server over Netty: every connection is a session of its own over the one loaded core.
 * {@code once}: the server stops when its first client has gone.
 */
public final class RspServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RspServer.class);

    private final LoadedCore core;
    private final CallBudget budget;
    private final boolean once;
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private Channel serverChannel;
    private final java.util.Set<Session> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Options options;

    /**
     * Per-server choices.
     *
     * @param allocatePackets answer lldb's {@code _M}/{@code _m} (each connection can change it: monitor allocate)
     * @param targetXml       serve qXfer:features (off: clients must use qRegisterInfo; for tests)
     * @param monitor         what {@code monitor CMD} runs
     */
    public record Options(boolean allocatePackets, boolean targetXml, MonitorCommands monitor) {
        public static final Options DEFAULTS = new Options(true, true, MonitorCommands.NONE);

        public Options withMonitor(MonitorCommands commands) {
            return new Options(allocatePackets, targetXml, commands);
        }
    }

    public RspServer(LoadedCore core, CallBudget budget, boolean once) {
        this(core, budget, once, Options.DEFAULTS);
    }

    public RspServer(LoadedCore core, CallBudget budget, boolean once, Options options) {
        this.core = core;
        this.budget = budget;
        this.once = once;
        this.options = options;
    }

    Options options() {
        return options;
    }

    /** Binds and starts accepting; returns the address actually bound (port 0 picks a free port). */
    public InetSocketAddress start(String host, int port) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WireState wire = new WireState();
                        ch.pipeline().addLast("decoder", new RspFrameDecoder(wire, BaseHandler.PACKET_SIZE));
                        ch.pipeline().addLast("encoder", new RspFrameEncoder(wire));
                        ch.pipeline().addLast("session", new ConnectionHandler(wire, core, budget, RspServer.this));
                    }
                });
        serverChannel = bootstrap.bind(host, port).sync().channel();
        return (InetSocketAddress) serverChannel.localAddress();
    }

    void opened(Session session) {
        sessions.add(session);
    }

    void closed(Session session) {
        if (session != null) {
            sessions.remove(session);
        }
        if (once) {
            log.info("--once: the client has gone, stopping");
            new Thread(this::close, "rsp-stop").start();
        }
    }

    /** Blocks until the server has stopped. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            if (serverChannel != null) {
                serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
            // Sessions first, while their event loops still run: a session closes on its loop, behind any packet
            // being answered there.
            for (Session session : java.util.List.copyOf(sessions)) {
                session.close();
            }
            for (Session session : java.util.List.copyOf(sessions)) {
                session.awaitClosed(3, TimeUnit.SECONDS);
            }
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        } finally {
            stopped.countDown();
        }
    }
}
