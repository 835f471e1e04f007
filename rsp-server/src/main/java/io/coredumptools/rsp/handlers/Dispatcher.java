package io.coredumptools.rsp.handlers;

import io.coredumptools.emulator.memory.MemoryAccessException;
import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Request;
import io.coredumptools.rsp.target.LimitReachedException;
import io.coredumptools.rsp.target.NoProcessException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each request to the handler of its type. A request whose feature the session does not offer, or that no
 * handler takes, gets the empty reply ("unsupported", as {@code vMustReplyEmpty} wants). A handler's failure is
 * an E reply, never the session's end: EFAULT for memory that is not there, the reason for a limit reached,
 * E01 otherwise.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int EFAULT = 0x0e;

    private final Map<Class<?>, Handler<?>> handlers = new HashMap<>();

    /** Every handler family of the protocol, gdb's and lldb's. */
    public static Dispatcher standard() {
        Dispatcher d = new Dispatcher();
        BaseHandlers.register(d);
        ThreadsHandlers.register(d);
        RegistersHandlers.register(d);
        MemoryHandlers.register(d);
        DocumentsHandlers.register(d);
        BreakpointsHandlers.register(d);
        ResumeHandlers.register(d);
        ProcessHandlers.register(d);
        TlsHandlers.register(d);
        WarningsHandlers.register(d);
        HostIoHandlers.register(d);
        LldbHandlers.register(d);
        ExtendedHandlers.register(d);
        return d;
    }

    public <R extends Request> void on(Class<R> type, Handler<R> handler) {
        if (handlers.putIfAbsent(type, handler) != null) {
            throw new IllegalStateException("two handlers for " + type.getSimpleName());
        }
    }

    public Reply dispatch(Request request, RspSession session) {
        if (!session.features().contains(request.feature())) {
            return Reply.EMPTY;
        }
        @SuppressWarnings("unchecked")
        Handler<Request> handler = (Handler<Request>) handlers.get(request.getClass());
        if (handler == null) {
            return Reply.EMPTY;
        }
        try {
            return handler.handle(request, session);
        } catch (MemoryAccessException e) {
            log.debug("{}: {}", request.getClass().getSimpleName(), e.getMessage());
            return Reply.error(EFAULT);
        } catch (NoProcessException e) {
            log.debug("{}: {}", request.getClass().getSimpleName(), e.getMessage());
            return Reply.error(0x01);
        } catch (LimitReachedException e) {
            log.warn("refused: {}", e.getMessage());
            return Reply.errorMessage(e.getMessage());
        } catch (IllegalArgumentException e) {
            log.debug("{}: {}", request.getClass().getSimpleName(), e.getMessage());
            return Reply.error(0x01);
        } catch (Exception e) {
            log.warn("{} failed: {}", request.getClass().getSimpleName(), e.toString(), e);
            return Reply.error(0x01);
        }
    }
}
