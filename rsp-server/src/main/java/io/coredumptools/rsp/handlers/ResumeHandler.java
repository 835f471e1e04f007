package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.DebugTarget;
import io.coredumptools.rsp.inferior.StopEvent;
import io.coredumptools.rsp.inferior.ThreadId;
import java.util.List;

/**
 * Stop and resume: {@code ?}, {@code vCont?}, {@code vCont;...}, and the old {@code c}/{@code C}/{@code s}/{@code S}.
 * One thread runs (DebugTarget#threadToRun), the others stay frozen; signals to deliver are dropped.
 * What the code wrote to fd 1/2 goes to the console (O packets) before the stop reply.
 */
public final class ResumeHandler implements PacketHandler {
    /** Packets that resume the target (the session lets an interrupt stop them). */
    public static boolean resumes(String packet) {
        return (packet.startsWith("vCont;")
                        || packet.startsWith("c")
                        || packet.startsWith("C")
                        || packet.startsWith("s")
                        || packet.startsWith("S"))
                && !packet.startsWith("vCont?");
    }

    @Override
    public void register(PacketRouter.Routes routes) {
        routes.exact("?", (p, s) -> StopReplies.initial(s));
        routes.exact("vCont?", (p, s) -> Reply.text("vCont;c;C;s;S;t"));
        routes.prefix("vCont;", this::vCont);
        routes.prefix("c", (p, s) -> legacy(s, false));
        routes.prefix("C", (p, s) -> legacy(s, false));
        routes.prefix("s", (p, s) -> legacy(s, true));
        routes.prefix("S", (p, s) -> legacy(s, true));
    }

    @Override
    public List<String> features() {
        return List.of("vContSupported+");
    }

    private Reply vCont(String packet, RspSession session) {
        DebugTarget target = session.target();
        int stepThread = -1;
        int namedContinue = -1;
        boolean any = false;
        for (String action : packet.substring("vCont;".length()).split(";")) {
            if (action.isEmpty()) {
                continue;
            }
            int colon = action.indexOf(':');
            String verb = colon < 0 ? action : action.substring(0, colon);
            int thread = colon < 0 ? -1 : target.threadIndex(ThreadId.parse(action.substring(colon + 1)));
            if (thread == -2) {
                return Reply.error(0x01);
            }
            char op = verb.charAt(0);
            switch (op) {
                case 's', 'S' -> {
                    any = true;
                    if (stepThread < 0) {
                        stepThread = thread >= 0 ? thread : target.generalThread();
                    }
                }
                case 'c', 'C' -> {
                    any = true;
                    // A signal (C06 re-delivering the crash signal) is not delivered: a core cannot die.
                    if (thread >= 0 && op == 'c' && namedContinue < 0) {
                        namedContinue = thread;
                    }
                }
                case 't' -> {
                    // stop: nothing runs on its own
                }
                default -> {
                    return Reply.error(0x01);
                }
            }
        }
        if (!any) {
            return StopReplies.of(target.lastStop(), session);
        }
        return run(session, target.threadToRun(stepThread, namedContinue), stepThread >= 0);
    }

    private Reply legacy(RspSession session, boolean step) {
        DebugTarget target = session.target();
        int thread = target.threadToRun(step ? target.generalThread() : -1, -1);
        return run(session, thread, step);
    }

    private Reply run(RspSession session, int thread, boolean step) {
        StopEvent stop = session.target().resume(thread, step);
        if (stop.output().length > 0) {
            session.console(stop.output());
        }
        if (!stop.message().isEmpty()) {
            session.console(stop.message() + "\n");
        }
        return StopReplies.of(stop, session);
    }
}
