package io.coredumptools.rsp.handlers;

import io.coredumptools.elfcore.abi.Signals;
import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Request.Resume;
import io.coredumptools.rsp.request.Request.ResumeActionsSupported;
import io.coredumptools.rsp.request.Request.StopReason;
import io.coredumptools.rsp.target.ExecutionTarget;
import io.coredumptools.rsp.target.StopEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stop and resume: {@code ?}, {@code vCont?}, {@code vCont;...} and the old {@code c}/{@code C}/{@code s}/
 * {@code S}. One thread runs (ExecutionTarget#threadToRun), the others stay frozen; signals to deliver are
 * dropped. What the code wrote to fd 1/2 goes to the console (O packets) before the stop reply, and the thread
 * that stopped becomes the Hg thread.
 */
final class ResumeHandlers {
    private static final Logger log = LoggerFactory.getLogger(ResumeHandlers.class);

    private ResumeHandlers() {}

    static void register(Dispatcher d) {
        d.on(StopReason.class, (r, s) -> StopReplies.initial(s));
        d.on(ResumeActionsSupported.class, (r, s) -> Reply.text("vCont;c;C;s;S;t"));
        d.on(Resume.class, ResumeHandlers::resume);
    }

    private static Reply resume(Resume request, RspSession session) {
        ExecutionTarget execution = session.target().execution();
        SessionState state = session.state();
        int stepThread = -1;
        int namedContinue = -1;
        for (Resume.Action action : request.actions()) {
            int thread = action.thread().isEmpty()
                    ? SessionState.ALL_THREADS
                    : state.resolve(action.thread().get(), session.target().threads());
            if (thread == SessionState.NO_THREAD) {
                return Reply.error(0x01);
            }
            if (action.step()) {
                if (stepThread < 0) {
                    stepThread = thread >= 0 ? thread : state.generalThread();
                }
            } else if (action.op() == 'c' && thread >= 0 && namedContinue < 0) {
                namedContinue = thread;
            }
            if (action.signal() != 0) {
                // A signal (C06 re-delivering the crash signal) is not delivered: a core cannot die.
                log.debug("signal {} to deliver is dropped", Signals.name(state.fromWire(action.signal())));
            }
        }
        if (!request.resumes()) {
            return StopReplies.of(execution.lastStop(), session);
        }
        int thread = execution.threadToRun(stepThread, namedContinue, state.continueThread());
        StopEvent stop = execution.resume(thread, stepThread >= 0);
        state.setGeneralThread(stop.thread());
        if (stop.output().length > 0) {
            session.console(stop.output());
        }
        if (!stop.message().isEmpty()) {
            session.console(stop.message() + "\n");
        }
        if (stop.reason() == StopEvent.Reason.SIGNAL) {
            long pc = session.target().registers().of(stop.thread()).rip;
            session.target()
                    .warnings()
                    .flatMap(w -> w.problemAt(pc))
                    .ifPresent(problem -> session.console(WarningsHandlers.PREFIX + problem + "\n"));
        }
        return StopReplies.of(stop, session);
    }
}
