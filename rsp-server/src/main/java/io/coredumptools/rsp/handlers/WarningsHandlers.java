package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Request.TraceStatus;
import io.coredumptools.rsp.target.WarningsTarget;

/**
 * The connect warnings, where gdb shows them: gdb prints the console output ({@code O} packets) that comes before
 * the reply to {@code qTStatus}, which it sends once while connecting, before the first stop (other replies of the
 * handshake may not carry output). The reply itself is empty (no tracepoints); an E reply would be an error to
 * gdb. Only the first qTStatus of a connection carries them ({@code tstatus} asks again).
 */
final class WarningsHandlers {
    static final String PREFIX = "warning: corestub: ";
    static final String SYSROOT_HINT = "corestub: the files are this machine's own:"
            + " 'set sysroot /' before 'target remote' makes gdb read them directly, with their auto-load scripts"
            + " (libstdc++ pretty printers)";

    private WarningsHandlers() {}

    static void register(Dispatcher d) {
        d.on(TraceStatus.class, WarningsHandlers::traceStatus);
    }

    private static Reply traceStatus(TraceStatus request, RspSession session) {
        if (session.state().connectWarningsShown()
                || (session.catalog().isPresent() && session.existingTarget().isEmpty())) {
            return Reply.EMPTY; // a catalog session connects with no process: nothing to warn about yet
        }
        session.state().setConnectWarningsShown();
        WarningsTarget warnings = session.target().warnings().orElseThrow();
        for (String problem : warnings.problems()) {
            session.console(PREFIX + problem.replace('\n', ' ') + "\n"); // one O packet per line
        }
        if (session.clientIsLocal() && warnings.filesAreAtTheirRecordedPaths()) {
            session.console(SYSROOT_HINT + "\n");
        }
        return Reply.EMPTY;
    }
}
