package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.reply.Xml;
import io.coredumptools.rsp.request.Request.CurrentThread;
import io.coredumptools.rsp.request.Request.SelectThread;
import io.coredumptools.rsp.request.Request.ThreadAlive;
import io.coredumptools.rsp.request.Request.ThreadList;
import io.coredumptools.rsp.target.ThreadsTarget;

/** Threads: H (g and c), T (alive), qC, qfThreadInfo/qsThreadInfo, and the qXfer:threads document. */
final class ThreadsHandlers {
    private ThreadsHandlers() {}

    static void register(Dispatcher d) {
        d.on(SelectThread.class, ThreadsHandlers::select);
        d.on(
                ThreadAlive.class,
                (r, s) -> s.state().resolve(r.thread(), s.target().threads()) >= 0 ? Reply.OK : Reply.error(0x01));
        d.on(
                CurrentThread.class,
                (r, s) -> Reply.text("QC"
                        + s.state().threadId(s.target().threads(), s.state().generalThread())));
        d.on(ThreadList.class, ThreadsHandlers::list);
    }

    private static Reply select(SelectThread request, RspSession session) {
        SessionState state = session.state();
        int index = state.resolve(request.thread(), session.target().threads());
        if (index == SessionState.NO_THREAD) {
            return Reply.error(0x01);
        }
        if (request.general()) {
            state.setGeneralThread(index < 0 ? state.generalThread() : index);
        } else {
            state.setContinueThread(index);
        }
        return Reply.OK;
    }

    private static Reply list(ThreadList request, RspSession session) {
        if (!request.first()) {
            return Reply.text("l");
        }
        ThreadsTarget threads = session.target().threads();
        StringBuilder s = new StringBuilder("m");
        for (int i = 0; i < threads.count(); i++) {
            s.append(i == 0 ? "" : ",").append(session.state().threadId(threads, i));
        }
        return Reply.text(s.toString());
    }

    /** The qXfer:threads document: every thread with its id and the process's name. */
    static byte[] threadsXml(RspSession session) {
        ThreadsTarget threads = session.target().threads();
        return Xml.document(false, null, xml -> {
            xml.writeStartElement("threads");
            xml.writeCharacters("\n");
            for (int i = 0; i < threads.count(); i++) {
                xml.writeEmptyElement("thread");
                xml.writeAttribute("id", session.state().threadId(threads, i));
                xml.writeAttribute("core", "0");
                xml.writeAttribute("name", threads.processName());
                xml.writeCharacters("\n");
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
        });
    }
}
