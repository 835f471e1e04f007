package io.coredumptools.rsp.handlers;

import io.coredumptools.emulator.debug.Watchpoint;
import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Request.Breakpoint;
import io.coredumptools.rsp.target.BreakpointsTarget;

/** Z0/Z1 breakpoints and Z2/Z3/Z4 watchpoints; other types are unsupported (the empty reply). */
final class BreakpointsHandlers {
    private static final int EINVAL = 0x16;

    private BreakpointsHandlers() {}

    static void register(Dispatcher d) {
        d.on(Breakpoint.class, BreakpointsHandlers::change);
    }

    private static Reply change(Breakpoint request, RspSession session) {
        BreakpointsTarget target = session.target().breakpoints().orElseThrow();
        long address = request.address();
        switch (request.type()) {
            case 0, 1 -> {
                if (request.insert()) {
                    target.insertBreakpoint(
                            address,
                            request.type() == 0 ? BreakpointsTarget.Kind.SOFTWARE : BreakpointsTarget.Kind.HARDWARE);
                } else {
                    target.removeBreakpoint(address);
                }
            }
            case 2, 3, 4 -> {
                if (request.kind() <= 0) {
                    return Reply.error(EINVAL);
                }
                Watchpoint.Kind kind = switch (request.type()) {
                    case 2 -> Watchpoint.Kind.WRITE;
                    case 3 -> Watchpoint.Kind.READ;
                    default -> Watchpoint.Kind.ACCESS;
                };
                if (request.insert()) {
                    target.insertWatchpoint(address, request.kind(), kind);
                } else {
                    target.removeWatchpoint(address, request.kind(), kind);
                }
            }
            default -> {
                return Reply.EMPTY;
            }
        }
        return Reply.OK;
    }
}
