package io.coredumptools.rsp.server;

import io.coredumptools.rsp.handlers.Dispatcher;
import io.coredumptools.rsp.handlers.RspSession;
import io.coredumptools.rsp.handlers.SessionState;
import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Feature;
import io.coredumptools.rsp.request.Request;
import io.coredumptools.rsp.target.CatalogTarget;
import io.coredumptools.rsp.target.MonitorCommands;
import io.coredumptools.rsp.target.NoProcessException;
import io.coredumptools.rsp.target.Target;
import io.coredumptools.rsp.target.TargetFactory;
import io.coredumptools.rsp.wire.ProtocolState;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, answered in order, on the connection's own event loop ({@link ConnectionLoops}): no
 * other connection waits for its work. Requests that resume the target run on the session's own thread instead,
 * so that the loop keeps reading and the interrupt byte reaches the running resume; requests that come meanwhile
 * wait behind it. The session's target is made when a request first needs it, never before the first reply.
 *
 * <p>Bounded: requests wait (and reading stops) while the channel is not writable; at most {@link #MAX_PENDING}
 * requests may wait; the console output of one request is capped at {@link #CONSOLE_CAP} bytes, then one line
 * says how much was dropped.
 */
final class Session implements RspSession {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    /** O packets carry this much text each. */
    private static final int CONSOLE_CHUNK = 0x1000;
    /** What one request may write to the console. */
    static final int CONSOLE_CAP = 1 << 20;
    /** Reading stops while this many requests wait. */
    static final int PENDING_HIGH = 256;
    /** More waiting requests than this and the connection is closed: a client that never reads its replies. */
    static final int MAX_PENDING = 65_536;

    private final int id;
    private final Channel channel;
    private final ProtocolState wire;
    private final Dispatcher dispatcher;
    private final TargetFactory targets;
    /** {@code serve --catalog}: the session starts with no process, and attaches to the catalog's cores. */
    private final CatalogTarget catalog;

    private final MonitorCommands monitorCommands;
    private final Set<Feature> features;
    private final Runnable onClose;
    private final SessionState state = new SessionState();
    private final ArrayDeque<Request> pending = new ArrayDeque<>();

    /** Made on first use, by whichever thread answers then (never two at once). */
    private Target target;
    /** A catalog session's last detached target, kept open while gdb may still read its files. */
    private Target detached;

    private ExecutorService sessionThread;
    /** A request runs on the session thread (loop-confined). */
    private boolean onSessionThread;
    /** ... and it resumes the target (an interrupt stops it). */
    private boolean resuming;

    private boolean closed;
    private boolean closeAfterReply;
    /** Replies of the request being answered, console output first (written in one flush). */
    private List<Reply> outbox = new ArrayList<>(4);

    private int consoleLeft = CONSOLE_CAP;
    private long consoleDropped;

    Session(
            int id,
            Channel channel,
            ProtocolState wire,
            Dispatcher dispatcher,
            TargetFactory targets,
            CatalogTarget catalog,
            Set<Feature> features,
            MonitorCommands monitorCommands,
            Runnable onClose) {
        this.id = id;
        this.channel = channel;
        this.wire = wire;
        this.dispatcher = dispatcher;
        this.targets = targets;
        this.catalog = catalog;
        this.features = features;
        this.monitorCommands = monitorCommands;
        this.onClose = onClose;
        log.info("session {} from {}", id, channel.remoteAddress());
    }

    int id() {
        return id;
    }

    // ---- on the event loop --------------------------------------------------------------------------

    void received(Request request) {
        if (closed) {
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            log.warn(
                    "session {}: more than {} requests wait for answers the client does not read: closing",
                    id,
                    MAX_PENDING);
            channel.close();
            return;
        }
        pending.add(request);
        drain();
    }

    /** Answers what waits, in order, while the channel takes replies and no request runs on the session thread. */
    void drain() {
        while (!closed && !onSessionThread && !pending.isEmpty() && channel.isWritable()) {
            Request request = pending.poll();
            if (request.needsSessionThread()) {
                runOnSessionThread(request);
                break;
            }
            write(answer(request));
        }
        updateAutoRead();
    }

    /** Reads while replies can go out and few requests wait. */
    void updateAutoRead() {
        boolean read = !closed && channel.isWritable() && pending.size() < PENDING_HIGH;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    private void runOnSessionThread(Request request) {
        onSessionThread = true;
        resuming = request.resumes();
        if (sessionThread == null) {
            sessionThread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "rsp-session-" + id);
                t.setDaemon(true);
                return t;
            });
        }
        try {
            sessionThread.execute(() -> {
                List<Reply> replies = answer(request);
                channel.eventLoop().execute(() -> {
                    onSessionThread = false;
                    if (resuming && target != null) {
                        target.execution().clearInterrupt(); // a late ^C must not stop the next resume
                    }
                    resuming = false;
                    write(replies);
                    drain();
                });
            });
        } catch (RejectedExecutionException closing) {
            onSessionThread = false;
        }
    }

    /** The 0x03 byte: stops a running resume (one about to start stops at once); ignored otherwise. */
    void interrupt() {
        boolean resumeWaits = pending.stream().anyMatch(Request::resumes);
        if (target == null || !(resuming || resumeWaits)) {
            return;
        }
        target.execution().interrupt();
        if (resuming) {
            // The resume may be just starting: repeat until it has ended.
            channel.eventLoop().schedule(this::repeatInterrupt, 20, TimeUnit.MILLISECONDS);
        }
    }

    private void repeatInterrupt() {
        if (!resuming || !target.execution().running()) {
            return;
        }
        target.execution().interrupt();
        channel.eventLoop().schedule(this::repeatInterrupt, 20, TimeUnit.MILLISECONDS);
    }

    /** Whether the session is doing nothing the client waits for (an idle timeout may close it). */
    boolean idle() {
        return !onSessionThread && pending.isEmpty();
    }

    private void write(List<Reply> replies) {
        if (closed && !channel.isActive()) {
            replies.forEach(ReferenceCountUtil::release); // a reply may hold a pooled buffer
            return;
        }
        for (Reply reply : replies) {
            if (reply != Reply.NONE) {
                channel.write(reply);
            }
        }
        if (closeAfterReply) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            closed = true;
        } else {
            channel.flush();
        }
    }

    /**
     * The connection is gone: stop what runs and free the engine, on the session thread behind a running
     * request when there is one.
     */
    void close() {
        if (closed && target == null && detached == null && sessionThread == null) {
            onClose.run();
            return;
        }
        closed = true;
        pending.clear();
        if (target != null) {
            target.execution().interrupt();
        }
        Runnable finish = () -> {
            closeDetached();
            if (target != null) {
                target.close();
                target = null;
            }
            log.info("session {} closed", id);
            onClose.run();
        };
        if (sessionThread != null) {
            try {
                sessionThread.execute(finish);
            } catch (RejectedExecutionException e) {
                finish.run();
            }
            sessionThread.shutdown();
        } else {
            finish.run();
        }
    }

    boolean awaitClosed(long timeout, TimeUnit unit) {
        if (sessionThread == null) {
            return true;
        }
        try {
            return sessionThread.awaitTermination(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- on the thread answering (the loop, or the session thread) ----------------------------------

    private List<Reply> answer(Request request) {
        if (!outbox.isEmpty()) {
            outbox = new ArrayList<>(4);
        }
        consoleLeft = CONSOLE_CAP;
        consoleDropped = 0;
        Reply reply;
        try {
            reply = dispatcher.dispatch(request, this);
        } catch (RuntimeException | Error e) {
            log.warn("session {}: {} failed: {}", id, request.getClass().getSimpleName(), e.toString(), e);
            reply = Reply.error(0x01);
        }
        if (consoleDropped > 0) {
            consoleNote("corestub: " + consoleDropped + " more bytes of output were dropped (the console shows at most "
                    + CONSOLE_CAP / 1024 + " KiB per call)\n");
        }
        if (outbox.isEmpty()) {
            return List.of(reply); // the usual case: one reply, no console output
        }
        outbox.add(reply);
        List<Reply> replies = outbox;
        outbox = new ArrayList<>(4);
        return replies;
    }

    @Override
    public SessionState state() {
        return state;
    }

    @Override
    public Target target() {
        if (target == null) {
            if (catalog != null) {
                throw new NoProcessException();
            }
            target = targets.create();
        }
        return target;
    }

    @Override
    public Optional<CatalogTarget> catalog() {
        return Optional.ofNullable(catalog);
    }

    @Override
    public void attach(Target attached) {
        detachProcess();
        target = attached;
        log.info("session {}: attached", id);
    }

    @Override
    public void detachProcess() {
        if (target != null) {
            // gdb still reads the detached core's files (vFile fds it holds) while it loads the next one's: the
            // detached target closes at the next detach or when the session ends (one at most, as a bound).
            closeDetached();
            detached = target;
            target = null;
            log.info("session {}: detached", id);
        }
    }

    private void closeDetached() {
        if (detached != null) {
            Target old = detached;
            detached = null;
            old.close();
        }
    }

    @Override
    public Optional<Target> existingTarget() {
        return Optional.ofNullable(target);
    }

    @Override
    public Set<Feature> features() {
        return features;
    }

    @Override
    public void console(byte[] text) {
        int n = Math.min(text.length, consoleLeft);
        for (int at = 0; at < n; at += CONSOLE_CHUNK) {
            outbox.add(Reply.console(text, at, Math.min(CONSOLE_CHUNK, n - at)));
        }
        consoleLeft -= n;
        consoleDropped += text.length - n;
    }

    private void consoleNote(String note) {
        byte[] bytes = note.getBytes(StandardCharsets.UTF_8);
        outbox.add(Reply.console(bytes, 0, bytes.length));
    }

    @Override
    public MonitorCommands monitorCommands() {
        return monitorCommands;
    }

    @Override
    public boolean clientIsLocal() {
        return channel.remoteAddress() instanceof InetSocketAddress a
                && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
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
