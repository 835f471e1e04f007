package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.DebugTarget;
import io.coredumptools.rsp.inferior.ThreadId;
import java.util.List;
import java.util.Set;

/** What handlers see of a connection: its target, what the client announced, and its console. */
public interface RspSession {
    DebugTarget target();

    /** Features the client sent in qSupported ({@code swbreak}, {@code multiprocess}, ...; without the +). */
    Set<String> clientFeatures();

    void setClientFeatures(Set<String> features);

    /** Every feature the server's handlers implement, for the qSupported reply. */
    List<String> serverFeatures();

    /** Text for the client's console, as O packets sent before the current reply. */
    void console(byte[] text);

    default void console(String text) {
        console(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Whether the client is lldb (its qSupported offers {@code xmlRegisters=i386,arm,...}, or it asked for
     * QStartNoAckMode before qSupported, or sent QThreadSuffixSupported): lldb gets lldb-server's dialect (its
     * register numbering, stop replies with {@code reason:}, a library list without {@code main-lm}).
     */
    boolean lldb();

    void setLldb(boolean lldb);

    /** QListThreadsInStopReply was sent: stop replies carry {@code threads:} and {@code thread-pcs:}. */
    boolean threadsInStopReply();

    void setThreadsInStopReply(boolean on);

    /** The register numbering of this client's dialect. */
    default io.coredumptools.rsp.inferior.RegisterSet registerSet() {
        return lldb()
                ? io.coredumptools.rsp.inferior.LldbRegisters.INSTANCE
                : io.coredumptools.rsp.inferior.RegisterSet.GDB;
    }

    /** The server's monitor commands. */
    io.coredumptools.rsp.target.MonitorCommands monitorCommands();

    /** Acks stop after this reply. */
    void disableAcks();

    /** The connection closes once the reply (if any) is sent. */
    void closeAfterReply();

    default boolean multiprocess() {
        return clientFeatures().contains("multiprocess");
    }

    /** A thread's id as this client expects it. */
    default String threadId(int index) {
        DebugTarget t = target();
        return ThreadId.format(t.pid(), t.tid(index), multiprocess());
    }
}
