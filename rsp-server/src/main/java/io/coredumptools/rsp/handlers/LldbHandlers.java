package io.coredumptools.rsp.handlers;

import io.coredumptools.elfcore.ProcessInfo;
import io.coredumptools.rsp.inferior.LldbRegisters;
import io.coredumptools.rsp.inferior.RegisterSet;
import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Request.Allocate;
import io.coredumptools.rsp.request.Request.Deallocate;
import io.coredumptools.rsp.request.Request.EnableErrorStrings;
import io.coredumptools.rsp.request.Request.HostInfo;
import io.coredumptools.rsp.request.Request.ListThreadsInStopReply;
import io.coredumptools.rsp.request.Request.MemoryRegionInfo;
import io.coredumptools.rsp.request.Request.RegisterInfo;
import io.coredumptools.rsp.request.Request.RestoreRegisterState;
import io.coredumptools.rsp.request.Request.SaveRegisterState;
import io.coredumptools.rsp.request.Request.ShlibInfoAddr;
import io.coredumptools.rsp.request.Request.ThreadStopInfo;
import io.coredumptools.rsp.request.Request.ThreadSuffixSupported;
import io.coredumptools.rsp.request.Request.ThreadsInfo;
import io.coredumptools.rsp.target.LldbTarget;
import io.coredumptools.rsp.target.LldbTarget.MemoryRegion;
import io.coredumptools.rsp.target.StopEvent;
import io.coredumptools.rsp.target.Target;
import io.coredumptools.rsp.target.ThreadsTarget;
import io.coredumptools.rsp.wire.Hex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * lldb-server's packets, answered as it does: qHostInfo, qProcessInfo, thread suffixes and threads in stop
 * replies, qThreadStopInfo and jThreadsInfo, qRegisterInfo (lldb's numbering), QSave/QRestoreRegisterState (also
 * lldb's call brackets), qMemoryRegionInfo, {@code _M}/{@code _m} allocations and qShlibInfoAddr. The packets
 * only lldb sends switch the session to lldb's dialect.
 */
final class LldbHandlers {
    static final String TRIPLE = "x86_64-pc-linux-gnu";
    /** rip, rbp, rsp: what lldb needs to start unwinding each thread without reading all registers. */
    private static final int[] EXPEDITED_REGISTERS = {16, 6, 7};

    private static final int EINVAL = 0x16;

    private LldbHandlers() {}

    static void register(Dispatcher d) {
        d.on(HostInfo.class, (r, s) -> {
            s.state().setLldb(); // gdb never asks: from now on lldb's register numbering and stop replies
            return Reply.text(hostInfo());
        });
        d.on(io.coredumptools.rsp.request.Request.ProcessInfo.class, (r, s) -> Reply.text(processInfo(s.target())));
        d.on(EnableErrorStrings.class, (r, s) -> Reply.OK);
        d.on(ThreadSuffixSupported.class, (r, s) -> {
            s.state().setLldb();
            s.state().setThreadSuffix();
            return Reply.OK;
        });
        d.on(ListThreadsInStopReply.class, (r, s) -> {
            s.state().setThreadsInStopReply();
            return Reply.OK;
        });
        d.on(ThreadStopInfo.class, (r, s) -> {
            int thread = s.state().resolve(r.thread(), s.target().threads());
            return thread < 0 ? Reply.error(0x01) : StopReplies.ofThread(thread, s);
        });
        d.on(ThreadsInfo.class, (r, s) -> Reply.text(threadsInfo(s)));
        d.on(RegisterInfo.class, (r, s) -> {
            s.state().setLldb(); // only lldb asks: from now on it gets lldb's numbering everywhere
            String info = LldbRegisters.registerInfo(r.regnum());
            return info == null ? Reply.error(0x45) : Reply.text(info);
        });
        d.on(SaveRegisterState.class, (r, s) -> {
            int thread = RegistersHandlers.thread(r.thread(), s);
            return Reply.text(Integer.toString(lldb(s).saveRegisterState(thread)));
        });
        d.on(RestoreRegisterState.class, (r, s) -> lldb(s).restoreRegisterState(r.id()) ? Reply.OK : Reply.error(0x01));
        d.on(
                MemoryRegionInfo.class,
                (r, s) -> r.address().isEmpty()
                        ? Reply.OK
                        : Reply.text(describe(lldb(s).memoryRegion(r.address().get()))));
        d.on(Allocate.class, (r, s) -> {
            if (!lldb(s).allocationAllowed()) {
                return Reply.EMPTY; // unsupported: lldb has the process call mmap
            }
            if (r.size() <= 0 || r.size() > (1L << 32)) {
                return Reply.error(EINVAL);
            }
            return Reply.text(Hex.number(lldb(s).allocate(r.size(), r.permissions())));
        });
        d.on(Deallocate.class, (r, s) -> {
            if (!lldb(s).allocationAllowed()) {
                return Reply.EMPTY;
            }
            return lldb(s).deallocate(r.address()) ? Reply.OK : Reply.error(EINVAL);
        });
        d.on(ShlibInfoAddr.class, (r, s) -> {
            long address = lldb(s).debugPointerAddress();
            return address == 0 ? Reply.EMPTY : Reply.text(Hex.number(address));
        });
    }

    private static LldbTarget lldb(RspSession session) {
        return session.target().lldb().orElseThrow();
    }

    /** The triple, pointer size, byte order, OS version and host name of the machine serving the core. */
    static String hostInfo() {
        StringBuilder s = new StringBuilder();
        s.append("triple:")
                .append(Hex.ascii(TRIPLE))
                .append(";ptrsize:8;watchpoint_exceptions_received:after;endian:little;");
        Matcher m = Pattern.compile("^\\d+(\\.\\d+){0,2}").matcher(System.getProperty("os.version", ""));
        if (m.find()) {
            s.append("os_version:").append(m.group()).append(';');
        }
        String host = hostname();
        if (!host.isEmpty()) {
            s.append("hostname:").append(Hex.ascii(host)).append(';');
        }
        return s.toString();
    }

    /** The core's pid, parent, uid/gid and triple. */
    static String processInfo(Target target) {
        ProcessInfo process = target.lldb().orElseThrow().process();
        int pid = target.threads().pid();
        return "pid:" + Hex.number(pid) + ";parent-pid:" + Hex.number(process.ppid()) + ";real-uid:"
                + Hex.number(process.uid()) + ";real-gid:" + Hex.number(process.gid()) + ";effective-uid:"
                + Hex.number(process.uid()) + ";effective-gid:" + Hex.number(process.gid()) + ";triple:"
                + Hex.ascii(TRIPLE)
                + ";ostype:linux;endian:little;ptrsize:8;";
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    /** qMemoryRegionInfo's answer: the region, with permissions and name when mapped (gaps have neither). */
    static String describe(MemoryRegion region) {
        StringBuilder s = new StringBuilder("start:")
                .append(Hex.number(region.start()))
                .append(";size:")
                .append(Hex.number(region.end() - region.start()))
                .append(';');
        if (region.mapped()) {
            s.append("permissions:")
                    .append(region.permissions().replace("-", ""))
                    .append(';');
            if (!region.name().isEmpty()) {
                s.append("name:")
                        .append(Hex.encode(region.name().getBytes(StandardCharsets.UTF_8)))
                        .append(';');
            }
        }
        return s.toString();
    }

    /** lldb-server's jThreadsInfo: per thread its tid, name, expedited pc/fp/sp and, for the stopped one, why. */
    static String threadsInfo(RspSession session) {
        Target target = session.target();
        ThreadsTarget threads = target.threads();
        StopEvent last = target.execution().lastStop();
        RegisterSet set = RegistersHandlers.encoding(session);
        JsonWriter json = new JsonWriter().beginArray();
        for (int i = 0; i < threads.count(); i++) {
            json.beginObject();
            boolean stopped = i == last.thread() && last.signal() != 0;
            if (stopped) {
                String description = StopReplies.description(last.signal(), StopReplies.siginfoOf(target, i));
                if (!description.isEmpty()) {
                    json.name("description").value(description);
                }
            }
            json.name("name").value(threads.processName());
            if (stopped && !StopReplies.lldbReason(last).isEmpty()) {
                json.name("reason").value(StopReplies.lldbReason(last));
            }
            json.name("registers").beginObject();
            for (int regnum : EXPEDITED_REGISTERS) {
                json.name(Integer.toString(regnum))
                        .value(Hex.encode(set.read(target.registers().of(i), regnum)));
            }
            json.endObject();
            if (stopped) {
                json.name("signal").value(last.signal());
            }
            json.name("tid").value(threads.tid(i));
            json.endObject();
        }
        return json.endArray().toString();
    }
}
