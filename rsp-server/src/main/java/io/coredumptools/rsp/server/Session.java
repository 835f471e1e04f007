package io.coredumptools.rsp.server;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.rsp.handlers.Handlers;
import io.coredumptools.rsp.handlers.HostIoHandler;
import io.coredumptools.rsp.handlers.PacketHandler;
import io.coredumptools.rsp.handlers.PacketRouter;
import io.coredumptools.rsp.handlers.Reply;
import io.coredumptools.rsp.handlers.ResumeHandler;
import io.coredumptools.rsp.handlers.RspSession;
import io.coredumptools.rsp.inferior.DebugTarget;
import io.coredumptools.rsp.inferior.Hex;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.rsp.wire.Packet;
import io.coredumptools.rsp.wire.Printable;
import io.coredumptools.rsp.wire.WireState;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, answered in order. Packets that resume the target run on the session's own thread (a
 * resume may run for long; the Netty event loop keeps reading, so an interrupt byte reaches {@link #interrupt()}
 * meanwhile); the others are answered on the event loop itself while nothing is queued for that thread. Only one
 * of the two ever touches the engine at a time.
 */
public final class Session implements RspSession {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    static final Logger PROTOCOL = LoggerFactory.getLogger("io.coredumptools.rsp.protocol");
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final int CONSOLE_CHUNK = 0x1000;

    private final int id = IDS.incrementAndGet();
    private final Channel channel;
    private final WireState wire;
    private final PacketRouter router;
    private final List<PacketHandler> handlers;
    private final DebugTarget target;
    private final ExecutorService executor;
    /** Packets handed to the session thread and not yet answered (written only on the event loop, +1). */
    private final java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();

    private final Runnable onClose;
    private final io.coredumptools.rsp.target.MonitorCommands monitorCommands;
    private volatile Set<String> clientFeatures = Set.of();
    private volatile boolean lldb;
    private volatile boolean threadsInStopReply;
    private final Object interruptLock = new Object();
    private int resumesInFlight;
    private boolean closeAfterReply;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    Session(
            Channel channel,
            WireState wire,
            LoadedCore core,
            CallBudget budget,
            RspServer.Options options,
            Runnable onClose) {
        this.channel = channel;
        this.wire = wire;
        this.handlers = Handlers.all(options.targetXml());
        this.router = new PacketRouter(handlers);
        this.target = new DebugTarget(core, budget);
        target.setAllocationAllowed(options.allocatePackets());
        this.onClose = onClose;
        this.monitorCommands = options.monitor();
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rsp-session-" + id);
            t.setDaemon(true);
            return t;
        });
        log.info("session {} from {}", id, channel.remoteAddress());
    }

    /**
     * Called on the event loop. Packets that resume the target run on the session thread, so the event loop
     * keeps reading and a ^C can interrupt them; every other packet is answered right here while nothing is
     * queued — a thread hand-off each way per packet cost more than most packets' work (gdb sends 23 packets
     * per inferior call). Order is kept: once a resume is queued, later packets queue behind it.
     */
    void received(Packet packet) {
        String text = packet.text();
        if (PROTOCOL.isDebugEnabled()) {
            PROTOCOL.debug("[{}] <- {}", id, packet);
        }
        boolean resume = ResumeHandler.resumes(text);
        if (!resume && queued.get() == 0) {
            handle(text, false);
            return;
        }
        if (resume) {
            synchronized (interruptLock) {
                resumesInFlight++;
            }
        }
        queued.incrementAndGet();
        try {
            executor.execute(() -> {
                try {
                    handle(text, resume);
                } finally {
                    queued.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException closing) {
            queued.decrementAndGet();
            log.debug("session {} closing: packet dropped", id);
        }
    }

    private void handle(String text, boolean resume) {
        if (closed) {
            return;
        }
        Reply reply;
        try {
            reply = router.dispatch(text, this);
        } catch (RuntimeException | Error e) {
            log.warn(
                    "session {}: {} failed: {}",
                    id,
                    Printable.of(text.getBytes(StandardCharsets.ISO_8859_1), 60),
                    e.toString());
            reply = Reply.error(0x01);
        }
        if (resume) {
            synchronized (interruptLock) {
                resumesInFlight--;
                target.clearInterrupt(); // a late ^C must not stop the next resume
            }
        }
        if (!reply.isNone()) {
            send(reply.payload());
        }
        if (closeAfterReply) {
            channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void send(byte[] payload) {
        if (PROTOCOL.isDebugEnabled()) {
            PROTOCOL.debug("[{}] -> {}", id, Printable.of(payload, 200));
        }
        channel.writeAndFlush(new Packet(payload));
    }

    /** Called on the event loop for the 0x03 byte: stops a running resume (ignored when none runs). */
    void interrupt() {
        if (PROTOCOL.isDebugEnabled()) {
            PROTOCOL.debug("[{}] <- ^C", id);
        }
        synchronized (interruptLock) {
            if (resumesInFlight <= 0) {
                return;
            }
            target.interrupt();
        }
        // The resume may be just starting: repeat until it has ended.
        channel.eventLoop().schedule(this::repeatInterrupt, 20, TimeUnit.MILLISECONDS);
    }

    private void repeatInterrupt() {
        synchronized (interruptLock) {
            if (resumesInFlight <= 0 || !target.running()) {
                return;
            }
            target.interrupt();
        }
        channel.eventLoop().schedule(this::repeatInterrupt, 20, TimeUnit.MILLISECONDS);
    }

    /**
     * The connection is gone: stop what runs and free the engine. Runs on the event loop, behind any packet it
     * is answering inline, so the engine is never closed under a handler.
     */
    void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.eventLoop().execute(this::finishClose);
        } catch (RejectedExecutionException loopGone) {
            finishClose(); // the event loop has stopped: nothing runs on it any more
        }
    }

    private void finishClose() {
        closed = true;
        target.interrupt();
        executor.execute(() -> {
            for (PacketHandler h : handlers) {
                if (h instanceof HostIoHandler io) {
                    io.closeAll(this);
                }
            }
            target.close();
            log.info("session {} closed", id);
            onClose.run();
        });
        executor.shutdown();
    }

    boolean awaitClosed(long timeout, TimeUnit unit) {
        try {
            return executor.awaitTermination(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- RspSession ---------------------------------------------------------------------------------

    @Override
    public DebugTarget target() {
        return target;
    }

    @Override
    public Set<String> clientFeatures() {
        return clientFeatures;
    }

    @Override
    public void setClientFeatures(Set<String> features) {
        clientFeatures = Set.copyOf(features);
    }

    @Override
    public List<String> serverFeatures() {
        return router.features();
    }

    @Override
    public void console(byte[] text) {
        for (int at = 0; at < text.length; at += CONSOLE_CHUNK) {
            int n = Math.min(CONSOLE_CHUNK, text.length - at);
            send(("O" + Hex.encode(text, at, n)).getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @Override
    public boolean lldb() {
        return lldb;
    }

    @Override
    public void setLldb(boolean lldb) {
        this.lldb = lldb;
    }

    @Override
    public boolean threadsInStopReply() {
        return threadsInStopReply;
    }

    @Override
    public void setThreadsInStopReply(boolean on) {
        threadsInStopReply = on;
    }

    @Override
    public io.coredumptools.rsp.target.MonitorCommands monitorCommands() {
        return monitorCommands;
    }

    @Override
    public void disableAcks() {
        wire.disableAcks();
    }

    @Override
    public void closeAfterReply() {
        closeAfterReply = true;
    }
}
