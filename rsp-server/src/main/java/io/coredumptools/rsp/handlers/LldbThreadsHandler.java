package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.DebugTarget;
import io.coredumptools.rsp.inferior.Hex;
import io.coredumptools.rsp.inferior.RegisterSet;
import io.coredumptools.rsp.inferior.StopEvent;
import io.coredumptools.rsp.inferior.ThreadId;
import java.util.List;

/**
 * lldb's thread packets: QThreadSuffixSupported (p/P/g/G/QSaveRegisterState name their thread with
 * {@code ;thread:TID;}), QListThreadsInStopReply (stop replies list the threads and their pcs),
 * qThreadStopInfoTID (one thread's stop reply) and jThreadsInfo (every thread's stop and pc/sp/fp in JSON).
 */
public final class LldbThreadsHandler implements PacketHandler {
    @Override
    public void register(PacketRouter.Routes routes) {
        routes.exact("QThreadSuffixSupported", (p, s) -> {
            s.setLldb(true);
            return Reply.OK;
        });
        routes.exact("QListThreadsInStopReply", (p, s) -> {
            s.setThreadsInStopReply(true);
            return Reply.OK;
        });
        routes.prefix("qThreadStopInfo", (p, s) -> {
            int thread = s.target().threadIndex(ThreadId.parse(p.substring("qThreadStopInfo".length())));
            return thread < 0 ? Reply.error(0x01) : StopReplies.ofThread(thread, s);
        });
        routes.exact("jThreadsInfo", (p, s) -> Reply.text(threadsInfo(s)));
    }

    @Override
    public List<String> features() {
        return List.of("QThreadSuffixSupported+", "QListThreadsInStopReply+");
    }

    static String threadsInfo(RspSession session) {
        DebugTarget target = session.target();
        StopEvent last = target.lastStop();
        RegisterSet set = session.registerSet();
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < target.threadCount(); i++) {
            json.append(i == 0 ? "{" : ",{");
            if (i == last.thread() && last.signal() != 0) {
                String description = StopReplies.description(last.signal(), target.siginfoOf(i));
                if (!description.isEmpty()) {
                    json.append("\"description\":\"").append(description).append("\",");
                }
            }
            json.append("\"name\":\"").append(jsonText(target.core().processName())).append('"');
            if (i == last.thread() && last.signal() != 0) {
                String reason = StopReplies.lldbReason(last);
                if (!reason.isEmpty()) {
                    json.append(",\"reason\":\"").append(reason).append('"');
                }
            }
            json.append(",\"registers\":{");
            int[] regs = {16, 6, 7};
            for (int r = 0; r < regs.length; r++) {
                json.append(r == 0 ? "" : ",").append('"').append(regs[r]).append("\":\"")
                        .append(Hex.encode(set.read(target.registers(i), regs[r]))).append('"');
            }
            json.append('}');
            if (i == last.thread() && last.signal() != 0) {
                json.append(",\"signal\":").append(last.signal());
            }
            json.append(",\"tid\":").append(target.tid(i)).append('}');
        }
        return json.append(']').toString();
    }

    private static String jsonText(String text) {
        StringBuilder s = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }
}
