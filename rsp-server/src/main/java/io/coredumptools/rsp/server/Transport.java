package io.coredumptools.rsp.server;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the server's event loops wait for and move bytes. Netty's native epoll transport where it loads (Linux with
 * the netty-transport-native-epoll library for the CPU): no NIO selector and its selected-key set, reads and
 * writes straight through JNI, each packet costs the connection's loop less. NIO everywhere else, and when
 * {@code -Dio.netty.transport.noNative=true} turns native transports off.
 */
enum Transport {
    // Each loop watches one connection (or the listening socket) and its own wake-up and timer descriptors: 16
    // events per epoll_wait are plenty (more wait for the next turn). Netty's default array of 4,096 is 48 KiB of
    // zeroed native memory per loop, 1.5 MiB of resident memory over a server's 34 loops (measured: RSS after bt).
    EPOLL(() -> EpollIoHandler.newFactory(16, DefaultSelectStrategyFactory.INSTANCE), EpollServerSocketChannel.class),
    NIO(NioIoHandler::newFactory, NioServerSocketChannel.class);

    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    private final Supplier<IoHandlerFactory> ioHandlers;
    private final Class<? extends ServerChannel> serverChannel;

    Transport(Supplier<IoHandlerFactory> ioHandlers, Class<? extends ServerChannel> serverChannel) {
        this.ioHandlers = ioHandlers;
        this.serverChannel = serverChannel;
    }

    /** Epoll when its native library loads here, NIO otherwise. */
    static Transport best() {
        if (Epoll.isAvailable()) {
            log.debug("transport: epoll (native)");
            return EPOLL;
        }
        log.debug("transport: nio (epoll unavailable: {})", String.valueOf(Epoll.unavailabilityCause()));
        return NIO;
    }

    /** What each event loop of a group of this transport runs. */
    IoHandlerFactory ioHandlers() {
        return ioHandlers.get();
    }

    /** The listening socket's channel type; accepted connections get the same transport's. */
    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }
}
