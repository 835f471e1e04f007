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
    /** rip, rbp, rsp: what lldb needs to start unwinding each thread without reading all registers. */
    private static final int[] EXPEDITED_REGISTERS = {16, 6, 7};

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

    /** lldb-server's jThreadsInfo: per thread its tid, name, expedited pc/fp/sp and, for the stopped one, why. */
    static String threadsInfo(RspSession session) {
        DebugTarget target = session.target();
        StopEvent last = target.lastStop();
        RegisterSet set = session.registerSet();
        JsonWriter json = new JsonWriter().beginArray();
        for (int i = 0; i < target.threadCount(); i++) {
            json.beginObject();
            boolean stopped = i == last.thread() && last.signal() != 0;
            if (stopped) {
                String description = StopReplies.description(last.signal(), target.siginfoOf(i));
                if (!description.isEmpty()) {
                    json.name("description").value(description);
                }
            }
            json.name("name").value(target.core().processName());
            if (stopped && !StopReplies.lldbReason(last).isEmpty()) {
                json.name("reason").value(StopReplies.lldbReason(last));
            }
            json.name("registers").beginObject();
            for (int regnum : EXPEDITED_REGISTERS) {
                json.name(Integer.toString(regnum)).value(Hex.encode(set.read(target.registers(i), regnum)));
            }
            json.endObject();
            if (stopped) {
                json.name("signal").value(last.signal());
            }
            json.name("tid").value(target.tid(i));
            json.endObject();
        }
        return json.endArray().toString();
    }
}
