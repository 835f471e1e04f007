package io.coredumptools.rsp.handlers;

import io.coredumptools.elfcore.abi.Signals;
import io.coredumptools.rsp.request.ThreadId;
import io.coredumptools.rsp.target.CatalogTarget;
import io.coredumptools.rsp.target.HostIoTarget.ServedFile;
import io.coredumptools.rsp.target.ThreadsTarget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The protocol state of one connection (not the target's): the threads Hg and Hc selected, what the client
 * announced (multiprocess, swbreak, ...), its dialect (gdb's or lldb's), lldb's thread suffixes and threads in
 * stop replies, and the files it opened over vFile.
 */
public final class SessionState {
    /** No thread (ThreadId resolution): the client named one the process does not have. */
    public static final int NO_THREAD = -2;
    /** All threads (ThreadId -1). */
    public static final int ALL_THREADS = -1;
    /** How many vFile descriptors a client may hold. */
    static final int MAX_OPEN_FILES = 64;

    private volatile Set<String> clientFeatures = Set.of();
    private volatile boolean lldb;
    private volatile boolean threadsInStopReply;
    private volatile boolean threadSuffix;
    private int generalThread;
    private int continueThread = ALL_THREADS;
    final Map<Integer, ServedFile> openFiles = new HashMap<>();
    private volatile Set<Integer> passSignals = Set.of();
    private volatile Set<Integer> programSignals = Set.of();
    /** lldb read its first library list whole (the last chunk went out). */
    private boolean lldbLibrariesRead;
    /** The connect warnings went out (with the first qTStatus). */
    private boolean connectWarningsShown;

    public Set<String> clientFeatures() {
        return clientFeatures;
    }

    void setClientFeatures(Set<String> features) {
        clientFeatures = Set.copyOf(features);
    }

    boolean lldbLibrariesRead() {
        return lldbLibrariesRead;
    }

    void setLldbLibrariesRead() {
        lldbLibrariesRead = true;
    }

    boolean connectWarningsShown() {
        return connectWarningsShown;
    }

    void setConnectWarningsShown() {
        connectWarningsShown = true;
    }

    public boolean multiprocess() {
        return clientFeatures.contains("multiprocess");
    }

    /**
     * Whether the client is lldb: decided by packets only lldb sends (QThreadSuffixSupported, qHostInfo,
     * qRegisterInfo), all before it reads registers. qSupported's xmlRegisters list is no sign (gdb-multiarch
     * lists arm and mips too), nor is asking for no-ack mode first. lldb gets lldb-server's dialect: its
     * register numbering, Linux signal numbers, stop replies with {@code reason:}, a library list without
     * {@code main-lm}.
     */
    public boolean lldb() {
        return lldb;
    }

    void setLldb() {
        lldb = true;
    }

    public boolean threadsInStopReply() {
        return threadsInStopReply;
    }

    void setThreadsInStopReply() {
        threadsInStopReply = true;
    }

    /** QThreadSuffixSupported was sent: p/P/g/G/QSaveRegisterState may name their thread. */
    public boolean threadSuffix() {
        return threadSuffix;
    }

    void setThreadSuffix() {
        threadSuffix = true;
    }

    /** The Hg thread: registers, memory and siginfo are this thread's. */
    public int generalThread() {
        return generalThread;
    }

    void setGeneralThread(int index) {
        generalThread = index;
    }

    /** The Hc thread, or {@link #ALL_THREADS}. */
    public int continueThread() {
        return continueThread;
    }

    void setContinueThread(int index) {
        continueThread = index;
    }

    /** The thread index an id names: {@link #ALL_THREADS} for -1, the Hg thread for 0, or {@link #NO_THREAD}. */
    public int resolve(ThreadId id, ThreadsTarget threads) {
        if (id.pid() != ThreadId.ANY && id.pid() != ThreadId.ALL && id.pid() != threads.pid()) {
            return NO_THREAD;
        }
        if (id.tid() == ThreadId.ALL) {
            return ALL_THREADS;
        }
        if (id.tid() == ThreadId.ANY) {
            return generalThread;
        }
        int index = threads.indexOf(id.tid());
        return index < 0 ? NO_THREAD : index;
    }

    /** A thread's id as this client writes it. */
    public String threadId(ThreadsTarget threads, int index) {
        return ThreadId.format(threads.pid(), threads.tid(index), multiprocess());
    }

    /** A signal number as this client writes it (gdb's numbering, or Linux's for lldb), in Linux's; -1: none. */
    public int fromWire(int signal) {
        return lldb ? signal : Signals.fromGdb(signal);
    }

    /** QPassSignals ({@code program} false) or QProgramSignals, in Linux numbers. */
    void setSignals(boolean program, Set<Integer> linux) {
        if (program) {
            programSignals = Set.copyOf(linux);
        } else {
            passSignals = Set.copyOf(linux);
        }
    }

    public Set<Integer> passSignals() {
        return passSignals;
    }

    public Set<Integer> programSignals() {
        return programSignals;
    }

    /** The process was killed: the selections go back to the crashing thread. */
    /** The catalog's cores, listed on the first osdata read or attach (cached per connection). */
    private List<CatalogTarget.Process> catalogListing;

    List<CatalogTarget.Process> catalogListing() {
        return catalogListing;
    }

    void setCatalogListing(List<CatalogTarget.Process> processes) {
        catalogListing = List.copyOf(processes);
    }

    void resetThreads() {
        generalThread = 0;
        continueThread = ALL_THREADS;
    }
}
