package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Request.Attached;
import io.coredumptools.rsp.request.Request.Detach;
import io.coredumptools.rsp.request.Request.Kill;
import io.coredumptools.rsp.request.Request.Monitor;
import io.coredumptools.rsp.target.MonitorTarget;

/**
 * The process as a whole: qAttached (1: gdb detaches on quit), D (detach: the connection ends), k and vKill (the
 * "process" goes back to the crash image; k closes the connection as gdbserver does, and answers lldb, which
 * waits for the exit status, with X09 as lldb-server does), and monitor commands.
 */
final class ProcessHandlers {
    private ProcessHandlers() {}

    static void register(Dispatcher d) {
        d.on(Attached.class, (r, s) -> Reply.text("1"));
        d.on(Detach.class, (r, s) -> {
            if (s.catalog().isPresent()) {
                s.detachProcess(); // extended-remote: back to no process, the connection stays
                s.state().resetThreads();
                return Reply.OK;
            }
            s.closeAfterReply();
            return Reply.OK;
        });
        d.on(Kill.class, ProcessHandlers::kill);
        d.on(Monitor.class, ProcessHandlers::monitor);
    }

    private static Reply kill(Kill request, RspSession session) {
        if (session.catalog().isPresent()) {
            session.detachProcess(); // the core goes back to the store; the connection stays (extended-remote)
            session.state().resetThreads();
            return Reply.OK;
        }
        session.existingTarget().ifPresent(t -> t.execution().kill());
        session.state().resetThreads();
        if (request.vKill()) {
            return Reply.OK;
        }
        session.closeAfterReply();
        return session.state().lldb() ? Reply.text("X09") : Reply.NONE;
    }

    private static Reply monitor(Monitor request, RspSession session) {
        MonitorTarget target = session.target().monitor().orElseThrow();
        String output = session.monitorCommands().execute(request.command(), target);
        if (!output.isEmpty()) {
            session.console(output.endsWith("\n") ? output : output + "\n");
        }
        return Reply.OK;
    }
}
