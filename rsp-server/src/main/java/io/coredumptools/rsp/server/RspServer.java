package io.coredumptools.rsp.server;

import io.coredumptools.rsp.handlers.Dispatcher;
import io.coredumptools.rsp.reply.ReplyEncoder;
import io.coredumptools.rsp.request.Feature;
import io.coredumptools.rsp.target.CatalogTarget;
import io.coredumptools.rsp.target.MonitorCommands;
import io.coredumptools.rsp.target.TargetFactory;
import io.coredumptools.rsp.wire.FrameDecoder;
import io.coredumptools.rsp.wire.ProtocolState;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GDB remote protocol server over Netty: each connection is a session of its own with its own target (made
 * by the {@link TargetFactory}) on an event loop of its own. Pipeline of a connection, in the direction bytes
 * flow: {@link FrameDecoder} (bytes to frames) → {@link ProtocolState} (acks, resends) → {@link SessionHandler}
 * (frames to typed requests, once); replies go back through {@link ReplyEncoder}, and a close through
 * {@link OrderlyClose}.
 * {@code once}: the server stops when its first client has gone.
 */
public final class RspServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RspServer.class);
    /** Reading a connection stops while more than this waits to be sent to it. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 << 10, 1 << 20);

    private final TargetFactory targets;
    private final CatalogTarget catalog;
    private final boolean once;
    private final Options options;
    private final Set<Feature> features;
    private final Dispatcher dispatcher = Dispatcher.standard();
    private final ConnectionLoops loops = new ConnectionLoops();
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup connections;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private Channel serverChannel;

    /**
     * Per-server choices.
     *
     * @param targetXml      serve qXfer:features (off: clients must use qRegisterInfo; for tests)
     * @param monitor        what {@code monitor CMD} runs
     * @param maxConnections how many connections may be open at once; more are refused with a reason
     * @param idleTimeout    a connection that sends nothing this long (while nothing runs) is closed
     */
    public record Options(boolean targetXml, MonitorCommands monitor, int maxConnections, Duration idleTimeout) {
        public static final int DEFAULT_MAX_CONNECTIONS = 32;
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
        public static final Options DEFAULTS =
                new Options(true, MonitorCommands.NONE, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT);

        public Options {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("max connections must be at least 1");
            }
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("the idle timeout must be positive");
            }
        }

        public Options withMonitor(MonitorCommands commands) {
            return new Options(targetXml, commands, maxConnections, idleTimeout);
        }

        public Options withTargetXml(boolean on) {
            return new Options(on, monitor, maxConnections, idleTimeout);
        }

        public Options withMaxConnections(int max) {
            return new Options(targetXml, monitor, max, idleTimeout);
        }

        public Options withIdleTimeout(Duration timeout) {
            return new Options(targetXml, monitor, maxConnections, timeout);
        }
    }

    public RspServer(TargetFactory targets, boolean once, Options options) {
        this(targets, once, options, Transport.best());
    }

    /** As {@link #RspServer(TargetFactory, boolean, Options)} on the given transport (tests: the NIO fallback). */
    RspServer(TargetFactory targets, boolean once, Options options, Transport transport) {
        this(targets, null, targets.features(), once, options, transport);
    }

    /** A server in front of a catalog of cores (gdb's extended-remote): each connection attaches to one. */
    public RspServer(CatalogTarget catalog, boolean once, Options options) {
        this(null, catalog, withExtended(catalog.features()), once, options, Transport.best());
    }

    private static Set<Feature> withExtended(Set<Feature> features) {
        Set<Feature> all = EnumSet.of(Feature.EXTENDED);
        all.addAll(features);
        return all;
    }

    private RspServer(
            TargetFactory targets,
            CatalogTarget catalog,
            Set<Feature> targetFeatures,
            boolean once,
            Options options,
            Transport transport) {
        this.targets = targets;
        this.catalog = catalog;
        this.once = once;
        this.options = options;
        Set<Feature> offered = EnumSet.noneOf(Feature.class);
        offered.addAll(targetFeatures);
        if (!options.targetXml()) {
            offered.remove(Feature.TARGET_DESCRIPTION);
        }
        this.features = Set.copyOf(offered);
        this.transport = transport;
        this.boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("rsp-accept"), transport.ioHandlers());
        // One loop per connection allowed, and one more for refusing the connection beyond the limit.
        this.connections = new MultiThreadIoEventLoopGroup(
                options.maxConnections() + 1,
                new ThreadPerTaskExecutor(new DefaultThreadFactory("rsp-connection")),
                loops,
                transport.ioHandlers());
    }

    Options options() {
        return options;
    }

    /** Binds and starts accepting; returns the address actually bound (port 0 picks a free port). */
    public InetSocketAddress start(String host, int port) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, connections)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        int id = ids.incrementAndGet();
                        ProtocolState wire = new ProtocolState();
                        ch.pipeline()
                                .addLast("close", OrderlyClose.INSTANCE)
                                .addLast("frames", new FrameDecoder(Feature.PACKET_SIZE))
                                .addLast("acks", wire)
                                .addLast("replies", new ReplyEncoder(id))
                                .addLast("session", new SessionHandler(RspServer.this, id, wire, dispatcher));
                    }
                });
        ConnectionWarmUp.run(boss, connections, transport, ch -> loops.release(ch.eventLoop()));
        serverChannel = bootstrap.bind(host, port).sync().channel();
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Counts a new connection in; false when --max-connections are open. */
    boolean admit() {
        while (true) {
            int n = open.get();
            if (n >= options.maxConnections()) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    Session newSession(int id, Channel channel, ProtocolState wire, Dispatcher dispatcher) {
        Session[] self = new Session[1];
        self[0] = new Session(id, channel, wire, dispatcher, targets, catalog, features, options.monitor(), () -> {
            sessions.remove(self[0]);
            released(channel, true);
        });
        sessions.add(self[0]);
        return self[0];
    }

    /** A connection has ended ({@code admitted}: it counted towards the limit). */
    void released(Channel channel, boolean admitted) {
        loops.release(channel.eventLoop());
        if (admitted) {
            open.decrementAndGet();
            if (once) {
                log.info("--once: the client has gone, stopping");
                new Thread(this::close, "rsp-stop").start();
            }
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
            // Connections first, while their loops still run: a session closes on its loop, and frees its engine
            // behind any request running on its thread.
            channels.close().awaitUninterruptibly(3, TimeUnit.SECONDS);
            for (Session session : List.copyOf(sessions)) {
                session.awaitClosed(3, TimeUnit.SECONDS);
            }
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            connections.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        } finally {
            stopped.countDown();
        }
    }
}
