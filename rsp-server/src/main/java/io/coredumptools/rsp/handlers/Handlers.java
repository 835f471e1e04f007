package io.coredumptools.rsp.handlers;

import java.util.ArrayList;
import java.util.List;

/** The packet handlers a session uses, one per feature family (gdb's and lldb's). */
public final class Handlers {
    private Handlers() {}

    /**
     * Every handler: gdb's and lldb's packets (a session answers in the dialect of its client).
     * {@code targetXml} false leaves out qXfer:features (a test of lldb's qRegisterInfo path).
     */
    public static List<PacketHandler> all(boolean targetXml) {
        List<PacketHandler> all = new ArrayList<>();
        all.add(new BaseHandler());
        all.add(new ThreadsHandler());
        all.add(new RegistersHandler());
        all.add(new MemoryHandler());
        all.addAll(DocumentsHandler.all(targetXml));
        all.add(new SiginfoHandler());
        all.add(new BreakpointsHandler());
        all.add(new ResumeHandler());
        all.add(new ProcessHandler());
        all.add(new MonitorHandler());
        all.add(new HostIoHandler());
        all.add(new HostInfoHandler());
        all.add(new LldbThreadsHandler());
        all.add(new RegisterInfoHandler());
        all.add(new RegisterStateHandler());
        all.add(new MemoryRegionsHandler());
        all.add(new AllocationHandler());
        all.add(new SharedLibrariesHandler());
        return all;
    }
}
