package io.coredumptools.rsp.request;

import java.util.List;

/**
 * The protocol features a server may offer, each with what it adds to the qSupported reply. Every request
 * belongs to one ({@link Request#feature()}); a feature the session's target lacks is left out of qSupported and
 * its requests get the empty reply ("not supported"), as gdb's protocol wants.
 */
public enum Feature {
    /** qSupported, no-ack mode, signals to pass: always there. */
    BASE(
            "PacketSize=" + Integer.toHexString(Feature.PACKET_SIZE),
            "QStartNoAckMode+",
            "QPassSignals+",
            "QProgramSignals+"),
    THREADS("multiprocess+", "qXfer:threads:read+"),
    REGISTERS,
    /** target.xml (qXfer:features). */
    TARGET_DESCRIPTION("qXfer:features:read+"),
    MEMORY,
    AUXV("qXfer:auxv:read+"),
    EXEC_FILE("qXfer:exec-file:read+"),
    LIBRARIES("qXfer:libraries-svr4:read+"),
    MEMORY_MAP("qXfer:memory-map:read+"),
    SIGINFO("qXfer:siginfo:read+", "qXfer:siginfo:write+"),
    BREAKPOINTS("swbreak+", "hwbreak+"),
    /** The first qTStatus's console lines (missing files, build-id mismatches, truncation); not in qSupported. */
    CONNECT_WARNINGS,
    /** qGetTLSAddr (gdb detects it by asking: not in qSupported, as gdbserver). */
    TLS,
    RESUME("vContSupported+"),
    PROCESS,
    MONITOR,
    HOST_IO,
    /** lldb-server's extensions: thread suffixes, threads in stop replies, qHostInfo, regions, _M, ... */
    LLDB("QThreadSuffixSupported+", "QListThreadsInStopReply+"),
    /** gdb's extended-remote over a catalog of cores: {@code !}, vAttach, qXfer:osdata (serve --catalog). */
    EXTENDED("qXfer:osdata:read+"),
    /** Packets no feature answers: the empty reply. */
    UNKNOWN;

    /** The largest packet a client may send, and the largest reply: 128 KiB, as lldb-server. */
    public static final int PACKET_SIZE = 0x20000;

    private final List<String> supported;

    Feature(String... supported) {
        this.supported = List.of(supported);
    }

    /** What this feature adds to the qSupported reply. */
    public List<String> supported() {
        return supported;
    }
}
