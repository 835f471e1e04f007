package io.coredumptools.rsp.handlers;

import java.util.ArrayList;
import java.util.List;

/** The packet handlers a gdb session uses, one per feature family. */
public final class Handlers {
    private Handlers() {
    }

    public static List<PacketHandler> gdb() {
        List<PacketHandler> all = new ArrayList<>();
        all.add(new BaseHandler());
        all.add(new ThreadsHandler());
        all.add(new RegistersHandler());
        all.add(new MemoryHandler());
        all.addAll(DocumentsHandler.all());
        all.add(new SiginfoHandler());
        all.add(new BreakpointsHandler());
        all.add(new ResumeHandler());
        all.add(new ProcessHandler());
        all.add(new MonitorHandler());
        all.add(new HostIoHandler());
        return all;
    }
}
