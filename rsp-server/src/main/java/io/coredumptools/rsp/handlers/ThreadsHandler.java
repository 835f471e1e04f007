package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.DebugTarget;
import io.coredumptools.rsp.inferior.ThreadId;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Threads: H (g and c), T (alive), qC, qfThreadInfo/qsThreadInfo, qXfer:threads:read; every LWP of the core. */
public final class ThreadsHandler implements PacketHandler {
    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("Hg", (p, s) -> select(p, s, true));
        routes.prefix("Hc", (p, s) -> select(p, s, false));
        routes.prefix("T", this::alive);
        routes.exact("qC", (p, s) -> Reply.text("QC" + s.threadId(s.target().generalThread())));
        routes.exact("qfThreadInfo", this::firstThreadInfo);
        routes.exact("qsThreadInfo", (p, s) -> Reply.text("l"));
        routes.prefix("qXfer:threads:read:", this::threadsXml);
    }

    @Override
    public List<String> features() {
        return List.of("multiprocess+", "qXfer:threads:read+");
    }

    private Reply select(String packet, RspSession session, boolean general) {
        DebugTarget target = session.target();
        int index = target.threadIndex(ThreadId.parse(packet.substring(2)));
        if (index == -2) {
            return Reply.error(0x01);
        }
        if (general) {
            target.setGeneralThread(index < 0 ? target.generalThread() : index);
        } else {
            target.setContinueThread(index);
        }
        return Reply.OK;
    }

    private Reply alive(String packet, RspSession session) {
        int index = session.target().threadIndex(ThreadId.parse(packet.substring(1)));
        return index >= 0 ? Reply.OK : Reply.error(0x01);
    }

    private Reply firstThreadInfo(String packet, RspSession session) {
        StringBuilder s = new StringBuilder("m");
        for (int i = 0; i < session.target().threadCount(); i++) {
            s.append(i == 0 ? "" : ",").append(session.threadId(i));
        }
        return Reply.text(s.toString());
    }

    private Reply threadsXml(String packet, RspSession session) {
        Xfer.Read read = Xfer.parseRead(packet.substring("qXfer:threads:read:".length()));
        DebugTarget target = session.target();
        StringBuilder xml = new StringBuilder("<threads>\n");
        String name = target.core().processName();
        for (int i = 0; i < target.threadCount(); i++) {
            xml.append("<thread id=\"")
                    .append(session.threadId(i))
                    .append("\" core=\"0\" name=\"")
                    .append(name.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;"))
                    .append("\"/>\n");
        }
        xml.append("</threads>\n");
        return Xfer.chunk(xml.toString().getBytes(StandardCharsets.UTF_8), read.offset(), read.length());
    }
}
