package io.coredumptools.rsp.handlers;

import io.coredumptools.elfcore.ProcessInfo;
import io.coredumptools.rsp.inferior.DebugTarget;
import io.coredumptools.rsp.inferior.Hex;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What lldb asks about the host and the process, answered as lldb-server does: qHostInfo (triple, pointer
 * size, byte order, OS version and host name of the machine serving the core), qProcessInfo (the core's pid,
 * parent, uid/gid and triple), and QEnableErrorStrings (accepted).
 */
public final class HostInfoHandler implements PacketHandler {
    static final String TRIPLE = "x86_64-pc-linux-gnu";

    @Override
    public void register(PacketRouter.Routes routes) {
        routes.exact("qHostInfo", (p, s) -> {
            s.setLldb(true); // gdb never asks: from now on lldb's register numbering and stop replies
            return Reply.text(hostInfo());
        });
        routes.exact("qProcessInfo", (p, s) -> Reply.text(processInfo(s.target())));
        routes.exact("QEnableErrorStrings", (p, s) -> Reply.OK);
    }

    static String hostInfo() {
        StringBuilder s = new StringBuilder();
        s.append("triple:")
                .append(Hex.ascii(TRIPLE))
                .append(";ptrsize:8;watchpoint_exceptions_received:after;endian:little;");
        String version = System.getProperty("os.version", "");
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("^\\d+(\\.\\d+){0,2}").matcher(version);
        if (m.find()) {
            s.append("os_version:").append(m.group()).append(';');
        }
        String host = hostname();
        if (!host.isEmpty()) {
            s.append("hostname:").append(Hex.ascii(host)).append(';');
        }
        return s.toString();
    }

    static String processInfo(DebugTarget target) {
        ProcessInfo process =
                target.core().core().process().orElse(new ProcessInfo(target.pid(), 0, 0, 0, 0, 0, 'R', "", ""));
        return "pid:" + Hex.number(target.pid()) + ";parent-pid:" + Hex.number(process.ppid()) + ";real-uid:"
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
}
