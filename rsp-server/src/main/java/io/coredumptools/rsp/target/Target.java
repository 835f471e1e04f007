package io.coredumptools.rsp.target;

import java.util.Optional;

/**
 * What a debugger connection debugs, as one small interface per protocol feature (in the manner of the gdbstub
 * crate's extension traits): threads, registers, memory and execution always; the others optional. A feature
 * the target does not offer is left out of qSupported and its packets get the empty reply.
 */
public interface Target extends AutoCloseable {
    ThreadsTarget threads();

    RegistersTarget registers();

    MemoryTarget memory();

    ExecutionTarget execution();

    default Optional<BreakpointsTarget> breakpoints() {
        return Optional.empty();
    }

    /** Per-thread siginfo, and with it gdb's call brackets. */
    default Optional<SiginfoTarget> siginfo() {
        return Optional.empty();
    }

    /** auxv, exec-file, the library list, the memory map. */
    default Optional<DocumentsTarget> documents() {
        return Optional.empty();
    }

    /** What the user should know about the core and its files, shown once at connect. */
    default Optional<WarningsTarget> warnings() {
        return Optional.empty();
    }

    /** Thread-local variables' addresses (qGetTLSAddr). */
    default Optional<TlsTarget> tls() {
        return Optional.empty();
    }

    default Optional<HostIoTarget> hostIo() {
        return Optional.empty();
    }

    default Optional<LldbTarget> lldb() {
        return Optional.empty();
    }

    default Optional<MonitorTarget> monitor() {
        return Optional.empty();
    }

    @Override
    void close();
}
