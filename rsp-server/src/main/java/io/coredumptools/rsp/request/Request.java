package io.coredumptools.rsp.request;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A client packet, decoded once ({@link RequestParser}). What a request is for is stated here, once per type:
 * the protocol {@link #feature()} it belongs to, whether it {@link #resumes()} the target, and whether it
 * {@link #needsSessionThread() needs the session's thread}. Handlers take these and return replies.
 */
public sealed interface Request {
    /** The feature whose presence in qSupported (and in the target) decides whether this is answered. */
    Feature feature();

    /** Whether answering runs the target's code: an interrupt byte may stop it. */
    default boolean resumes() {
        return false;
    }

    /**
     * Whether it runs on the session's own thread instead of the connection's event loop: requests that resume,
     * so that the event loop keeps reading and sees the interrupt byte while they run.
     */
    default boolean needsSessionThread() {
        return resumes();
    }

    // ---- base -----------------------------------------------------------------------------------------

    /** {@code qSupported:f1;f2+;f3-;...}: the features the client announced (with +, or name=value; without +). */
    record QSupported(Set<String> clientFeatures) implements Request {
        public Feature feature() {
            return Feature.BASE;
        }
    }

    /** {@code QStartNoAckMode}. */
    record StartNoAckMode() implements Request {
        public Feature feature() {
            return Feature.BASE;
        }
    }

    /** {@code qSymbol::} and {@code qSymbol:VALUE:NAME}: the stub wants no symbols. */
    record SymbolLookup() implements Request {
        public Feature feature() {
            return Feature.BASE;
        }
    }

    /** {@code QPassSignals:s1;s2} and {@code QProgramSignals:...}: signal numbers as the client numbers them. */
    record SignalList(boolean program, List<Integer> signals) implements Request {
        public Feature feature() {
            return Feature.BASE;
        }
    }

    /** A packet the server does not know (vMustReplyEmpty, qTStatus, ...): the empty reply. */
    record Unknown(String name) implements Request {
        public Feature feature() {
            return Feature.UNKNOWN;
        }
    }

    /** A packet that could not be parsed, or that was longer than PacketSize: an E reply. */
    record Malformed(String packet, String reason, int errno) implements Request {
        public Feature feature() {
            return Feature.BASE;
        }
    }

    /**
     * {@code qTStatus}: gdb asks whether a trace experiment runs, once at connect (before {@code ?}) and on
     * {@code tstatus}. Tracepoints are not supported (the empty reply); the first one of a connection carries the
     * connect warnings as console output before it, which gdb prints.
     */
    record TraceStatus() implements Request {
        public Feature feature() {
            return Feature.CONNECT_WARNINGS;
        }
    }

    // ---- threads --------------------------------------------------------------------------------------

    /** {@code Hg ID} (general: registers, memory) and {@code Hc ID} (continue). */
    record SelectThread(boolean general, ThreadId thread) implements Request {
        public Feature feature() {
            return Feature.THREADS;
        }
    }

    /** {@code T ID}: is the thread alive. */
    record ThreadAlive(ThreadId thread) implements Request {
        public Feature feature() {
            return Feature.THREADS;
        }
    }

    /** {@code qC}. */
    record CurrentThread() implements Request {
        public Feature feature() {
            return Feature.THREADS;
        }
    }

    /** {@code qfThreadInfo} (first) and {@code qsThreadInfo} (the rest). */
    record ThreadList(boolean first) implements Request {
        public Feature feature() {
            return Feature.THREADS;
        }
    }

    /**
     * {@code qGetTLSAddr:THREAD,OFFSET,LM}: the address of the byte at OFFSET in the TLS block of the module whose
     * link_map is at LM (0: a static executable's), for THREAD.
     */
    record TlsAddress(ThreadId thread, long offset, long linkMap) implements Request {
        public Feature feature() {
            return Feature.TLS;
        }
    }

    // ---- registers ------------------------------------------------------------------------------------

    /** {@code g[;thread:ID;]}. The thread, when named, is lldb's suffix; else the Hg thread. */
    record ReadRegisters(Optional<ThreadId> thread) implements Request {
        public Feature feature() {
            return Feature.REGISTERS;
        }
    }

    /** {@code G HEX[;thread:ID;]}. */
    record WriteRegisters(byte[] data, Optional<ThreadId> thread) implements Request {
        public Feature feature() {
            return Feature.REGISTERS;
        }
    }

    /** {@code p N[;thread:ID;]}. */
    record ReadRegister(int regnum, Optional<ThreadId> thread) implements Request {
        public Feature feature() {
            return Feature.REGISTERS;
        }
    }

    /** {@code P N=HEX[;thread:ID;]}. */
    record WriteRegister(int regnum, byte[] value, Optional<ThreadId> thread) implements Request {
        public Feature feature() {
            return Feature.REGISTERS;
        }
    }

    // ---- memory ---------------------------------------------------------------------------------------

    /** {@code m ADDR,LEN} (hex reply) and {@code x ADDR,LEN} (lldb's binary reply). The range does not wrap. */
    record ReadMemory(long address, int length, boolean binary) implements Request {
        public Feature feature() {
            return Feature.MEMORY;
        }
    }

    /** {@code M ADDR,LEN:HEX} and {@code X ADDR,LEN:BYTES}; {@code X ADDR,0:} probes. The range does not wrap. */
    record WriteMemory(long address, byte[] data) implements Request {
        public Feature feature() {
            return Feature.MEMORY;
        }
    }

    // ---- documents ------------------------------------------------------------------------------------

    /** {@code qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH}. */
    record XferRead(String object, String annex, long offset, int length) implements Request {
        public Feature feature() {
            return switch (object) {
                case "features" -> Feature.TARGET_DESCRIPTION;
                case "auxv" -> Feature.AUXV;
                case "exec-file" -> Feature.EXEC_FILE;
                case "libraries-svr4" -> Feature.LIBRARIES;
                case "memory-map" -> Feature.MEMORY_MAP;
                case "threads" -> Feature.THREADS;
                case "siginfo" -> Feature.SIGINFO;
                case "osdata" -> Feature.EXTENDED;
                default -> Feature.UNKNOWN;
            };
        }
    }

    /** {@code qXfer:OBJECT:write:ANNEX:OFFSET:DATA}. */
    record XferWrite(String object, String annex, long offset, byte[] data) implements Request {
        public Feature feature() {
            return object.equals("siginfo") ? Feature.SIGINFO : Feature.UNKNOWN;
        }
    }

    // ---- breakpoints ----------------------------------------------------------------------------------

    /** {@code Z TYPE,ADDR,KIND} (insert) and {@code z} (remove); conditions and commands after ';' are ignored. */
    record Breakpoint(boolean insert, int type, long address, int kind) implements Request {
        public Feature feature() {
            return Feature.BREAKPOINTS;
        }
    }

    // ---- stop and resume ------------------------------------------------------------------------------

    /** {@code ?}: why the target stopped. */
    record StopReason() implements Request {
        public Feature feature() {
            return Feature.RESUME;
        }
    }

    /** {@code vCont?}. */
    record ResumeActionsSupported() implements Request {
        public Feature feature() {
            return Feature.RESUME;
        }
    }

    /**
     * {@code vCont;ACTION[:ID]...} and the old {@code c}, {@code C SIG}, {@code s}, {@code S SIG} (one action for
     * no named thread). Signals are as the client numbers them.
     */
    record Resume(List<Action> actions) implements Request {
        /** One vCont action: {@code c}, {@code C}, {@code s}, {@code S} or {@code t}. */
        public record Action(char op, int signal, Optional<ThreadId> thread) {
            public boolean step() {
                return op == 's' || op == 'S';
            }

            public boolean runs() {
                return op != 't';
            }
        }

        public Feature feature() {
            return Feature.RESUME;
        }

        /** Whether any action runs a thread (vCont with only {@code t} answers the last stop). */
        @Override
        public boolean resumes() {
            return actions.stream().anyMatch(Action::runs);
        }
    }

    // ---- the process ----------------------------------------------------------------------------------

    /** {@code qAttached[:PID]}. */
    /** {@code !}: extended mode (gdb's target extended-remote). */
    record ExtendedMode() implements Request {
        public Feature feature() {
            return Feature.EXTENDED;
        }
    }

    /** {@code vAttach;PID}: attach to one of the catalog's processes. */
    record AttachProcess(int pid) implements Request {
        public Feature feature() {
            return Feature.EXTENDED;
        }
    }

    record Attached() implements Request {
        public Feature feature() {
            return Feature.PROCESS;
        }
    }

    /** {@code D[;PID]}. */
    record Detach() implements Request {
        public Feature feature() {
            return Feature.PROCESS;
        }
    }

    /** {@code k} (no reply for gdb; the connection ends) and {@code vKill;PID} (OK). */
    record Kill(boolean vKill) implements Request {
        public Feature feature() {
            return Feature.PROCESS;
        }
    }

    /** {@code qRcmd,HEX}: a monitor command line. */
    record Monitor(String command) implements Request {
        public Feature feature() {
            return Feature.MONITOR;
        }
    }

    // ---- host I/O -------------------------------------------------------------------------------------

    /** {@code vFile:...}: the host file operations, read-only. */
    sealed interface HostIo extends Request {
        @Override
        default Feature feature() {
            return Feature.HOST_IO;
        }
    }

    record SetFs(long pid) implements HostIo {}

    record Open(String path, int flags, int mode) implements HostIo {}

    record Pread(int fd, int count, long offset) implements HostIo {}

    record Pwrite(int fd, long offset, byte[] data) implements HostIo {}

    record Close(int fd) implements HostIo {}

    record Fstat(int fd) implements HostIo {}

    record Readlink(String path) implements HostIo {}

    record Unlink(String path) implements HostIo {}

    // ---- lldb's packets -------------------------------------------------------------------------------

    /** lldb-server's extensions: only lldb sends these. */
    sealed interface Lldb extends Request {
        @Override
        default Feature feature() {
            return Feature.LLDB;
        }
    }

    record HostInfo() implements Lldb {}

    record ProcessInfo() implements Lldb {}

    record EnableErrorStrings() implements Lldb {}

    record ThreadSuffixSupported() implements Lldb {}

    record ListThreadsInStopReply() implements Lldb {}

    /** {@code qThreadStopInfoTID}. */
    record ThreadStopInfo(ThreadId thread) implements Lldb {}

    record ThreadsInfo() implements Lldb {}

    /** {@code qRegisterInfoN}. */
    record RegisterInfo(int regnum) implements Lldb {}

    /** {@code QSaveRegisterState[;thread:ID;]}. */
    record SaveRegisterState(Optional<ThreadId> thread) implements Lldb {}

    /** {@code QRestoreRegisterState:ID[;thread:ID;]}. */
    record RestoreRegisterState(int id) implements Lldb {}

    /** {@code qMemoryRegionInfo:ADDR}; without an address (the probe): empty. */
    record MemoryRegionInfo(Optional<Long> address) implements Lldb {}

    /** {@code _M SIZE,PERMS}: permissions as MemoryProtection bits. */
    record Allocate(long size, int permissions) implements Lldb {}

    /** {@code _m ADDR}. */
    record Deallocate(long address) implements Lldb {}

    record ShlibInfoAddr() implements Lldb {}
}
