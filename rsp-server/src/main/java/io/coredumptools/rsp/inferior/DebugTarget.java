package io.coredumptools.rsp.inferior;

import io.coredumptools.elfcore.AuxvEntry;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.emulator.Argument;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.CallFailedException;
import io.coredumptools.emulator.CallResult;
import io.coredumptools.emulator.EmulationFault;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.FaultKind;
import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.emulator.debug.ResumeRequest;
import io.coredumptools.emulator.debug.Stop;
import io.coredumptools.emulator.debug.Watchpoint;
import io.coredumptools.emulator.memory.ImageRegion;
import io.coredumptools.emulator.memory.MemoryAccessException;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's view of the core as a stopped process: its own {@link Emulator} (memory starts at the crash
 * image), a register file per thread, breakpoints and watchpoints (emulator hooks: nothing is written into the
 * image), each thread's siginfo, and when to restore the crash image ({@link CallBrackets}, {@link RestoreMode}).
 *
 * <p>Only one thread runs on a resume (a core's threads cannot run together): the one gdb set up. Signals gdb
 * asks to deliver are dropped: a core cannot die.
 *
 * <p>Not thread-safe: the session calls it from one thread, except {@link #interrupt()}.
 */
public final class DebugTarget implements AutoCloseable, io.coredumptools.rsp.target.MonitorTarget {
    private static final Logger log = LoggerFactory.getLogger(DebugTarget.class);
    /** lldb nests a save per expression in progress; more than this are abandoned ones. */
    private static final int MAX_SAVED_STATES = 64;

    public static final int TRACE_LIMIT = 20_000;

    public enum BreakpointKind {
        SOFTWARE,
        HARDWARE
    }

    private final LoadedCore core;
    private final Emulator emulator;
    private final List<ThreadState> threads;
    private final RegisterFile[] registers;
    private final byte[][] siginfo;
    private final Map<Long, BreakpointKind> breakpoints = new LinkedHashMap<>();
    private final List<Watchpoint> watchpoints = new ArrayList<>();
    private final CallBrackets brackets = new CallBrackets();
    private RestoreMode restoreMode = RestoreMode.PER_CALL;
    private CallBudget budget;
    private boolean tracing;

    private int generalThread;
    private int continueThread = -1;
    private int lastStopThread;
    private int setUpThread = -1;
    private StopEvent lastStop;

    /** lldb's QSaveRegisterState: id → what QRestoreRegisterState puts back. */
    /** By id, oldest first. */
    private final Map<Integer, SavedState> savedStates = new TreeMap<>();

    private TreeMap<Long, MemoryRegion> coreRegions;
    private int nextSaveId = 1;
    /** pc of the first resume in the open QSaveRegisterState bracket (the called function), or -1. */
    private long callEntryPc = -1;

    private Set<Long> mmapAddresses;
    private boolean allocationAllowed = true;

    private record SavedState(int thread, byte[] registers, byte[] siginfo, StopEvent lastStop, int lastStopThread) {}

    private volatile boolean running;
    private volatile boolean interruptPending;

    public DebugTarget(LoadedCore core, CallBudget budget) {
        this.core = core;
        this.emulator = core.newEmulator();
        this.threads = core.threads();
        this.budget = budget;
        this.registers = new RegisterFile[threads.size()];
        this.siginfo = new byte[threads.size()][];
        resetThreads();
    }

    private void resetThreads() {
        for (int i = 0; i < threads.size(); i++) {
            registers[i] = RegisterFile.of(threads.get(i));
            siginfo[i] = initialSiginfo(i);
        }
        generalThread = 0;
        continueThread = -1;
        lastStopThread = 0;
        setUpThread = -1;
        lastStop = new StopEvent(0, core.crashSignal(), StopEvent.Reason.SIGNAL, 0, new byte[0], "");
    }

    private byte[] initialSiginfo(int index) {
        if (index == 0) {
            if (core.core().signal().isPresent() && core.core().signal().get().raw().length >= Siginfo.SIZE) {
                return Arrays.copyOf(core.core().signal().get().raw(), Siginfo.SIZE);
            }
            return Siginfo.sentBy(core.crashSignal(), core.pid());
        }
        return Siginfo.sentBy(Siginfo.SIGSTOP, core.pid());
    }

    // ---- threads ------------------------------------------------------------------------------------

    public LoadedCore core() {
        return core;
    }

    public Emulator emulator() {
        return emulator;
    }

    public int threadCount() {
        return threads.size();
    }

    public long tid(int index) {
        return threads.get(index).tid();
    }

    public int pid() {
        return core.pid();
    }

    /** The index of a thread id, -1 for "all", or -2 when no such thread; 0 ("any") is the current one. */
    public int threadIndex(ThreadId id) {
        if (id.pid() != ThreadId.ANY && id.pid() != ThreadId.ALL && id.pid() != core.pid()) {
            return -2;
        }
        if (id.tid() == ThreadId.ALL) {
            return -1;
        }
        if (id.tid() == ThreadId.ANY) {
            return generalThread;
        }
        for (int i = 0; i < threads.size(); i++) {
            if (threads.get(i).tid() == id.tid()) {
                return i;
            }
        }
        return -2;
    }

    public int generalThread() {
        return generalThread;
    }

    public void setGeneralThread(int index) {
        generalThread = index;
    }

    public void setContinueThread(int index) {
        continueThread = index;
    }

    public StopEvent lastStop() {
        return lastStop;
    }

    // ---- registers ----------------------------------------------------------------------------------

    public RegisterFile registers(int thread) {
        return registers[thread];
    }

    /** Registers written by the client: this thread is being set up (for a call). */
    public void registersWritten(int thread) {
        setUpThread = thread;
        brackets.onWrite();
    }

    // ---- memory -------------------------------------------------------------------------------------

    /** Up to {@code length} bytes from {@code address}: the readable prefix (empty when none is readable). */
    public byte[] readMemory(long address, int length) {
        try {
            return emulator.read(address, length);
        } catch (MemoryAccessException | IllegalArgumentException e) {
            // Find the readable prefix: halve until a read works, then extend page by page.
            int good = 0;
            int step = length;
            while (step > 0 && good < length) {
                int n = Math.min(step, length - good);
                try {
                    emulator.read(address + good, n);
                    good += n;
                } catch (MemoryAccessException | IllegalArgumentException again) {
                    step /= 2;
                }
            }
            return good == 0 ? new byte[0] : emulator.read(address, good);
        }
    }

    public void writeMemory(long address, byte[] bytes) {
        if (bytes.length == 0) {
            emulator.read(address, 1); // the X probe: fail as the write would
            return;
        }
        emulator.write(address, bytes);
        brackets.onWrite();
    }

    // ---- siginfo ------------------------------------------------------------------------------------

    /** qXfer:siginfo:read of the current thread; a full read from offset 0 is gdb saving it before a call. */
    public byte[] readSiginfo(long offset) {
        if (offset == 0 && brackets.onSiginfoRead() && restoreMode == RestoreMode.PER_CALL) {
            restore();
        }
        return siginfo[generalThread];
    }

    /** A thread's siginfo as it stands (no call bracket bookkeeping, unlike {@link #readSiginfo}). */
    public byte[] siginfoOf(int thread) {
        return siginfo[thread].clone();
    }

    public void writeSiginfo(long offset, byte[] data) {
        byte[] info = siginfo[generalThread].clone();
        int n = (int) Math.max(0, Math.min(data.length, Siginfo.SIZE - offset));
        System.arraycopy(data, 0, info, (int) offset, n);
        siginfo[generalThread] = info;
        if (offset == 0) {
            brackets.onSiginfoWrite();
        }
    }

    // ---- breakpoints --------------------------------------------------------------------------------

    public void insertBreakpoint(long address, BreakpointKind kind) {
        breakpoints.put(address, kind);
    }

    public void removeBreakpoint(long address) {
        breakpoints.remove(address);
    }

    public void insertWatchpoint(long address, int length, Watchpoint.Kind kind) {
        watchpoints.add(new Watchpoint(address, length, kind));
    }

    public void removeWatchpoint(long address, int length, Watchpoint.Kind kind) {
        watchpoints.remove(new Watchpoint(address, length, kind));
    }

    // ---- resuming -----------------------------------------------------------------------------------

    /**
     * Which thread a resume runs: the stepping thread; else the one gdb wrote registers for since the last stop
     * (a call's setup); else a thread a continue action names; else Hc's; else the last stopped one.
     */
    public int threadToRun(int stepThread, int namedContinueThread) {
        if (stepThread >= 0) {
            return stepThread;
        }
        if (setUpThread >= 0) {
            return setUpThread;
        }
        if (namedContinueThread >= 0) {
            return namedContinueThread;
        }
        if (continueThread >= 0) {
            return continueThread;
        }
        return lastStopThread;
    }

    /** Runs one thread (one instruction, or until an event); the event thread becomes the current one. */
    public StopEvent resume(int thread, boolean step) {
        if (brackets.onResume() && restoreMode == RestoreMode.PER_CALL) {
            restore();
        }
        if (brackets.explicitDepth() > 0 && callEntryPc == -1) {
            callEntryPc = registers[thread].rip;
        }
        emulator.selectThread(thread);
        Stop stop;
        running = true;
        try {
            if (interruptPending) {
                stop = null;
            } else if (!step && breakpoints.containsKey(registers[thread].rip)) {
                // An inserted breakpoint at pc traps at once, as an int3 there would (gdb calling a function
                // with a breakpoint on its first instruction); debuggers step over their own breakpoints.
                stop = new Stop(
                        Stop.Kind.BREAKPOINT, Stop.SIGTRAP, registers[thread].rip, -1, Optional.empty(), new byte[0]);
            } else {
                stop = emulator.resume(
                        registers[thread],
                        new ResumeRequest(step, Set.copyOf(breakpoints.keySet()), watchpoints, budget));
            }
        } finally {
            running = false;
            interruptPending = false;
        }
        StopEvent event = stop == null
                ? new StopEvent(thread, Siginfo.SIGINT, StopEvent.Reason.SIGNAL, 0, new byte[0], "")
                : toEvent(thread, stop);
        if (stop == null) {
            siginfo[thread] = Siginfo.of(Siginfo.SIGINT, Siginfo.SI_KERNEL, 0);
        }
        lastStopThread = thread;
        generalThread = thread;
        setUpThread = -1;
        lastStop = event;
        return event;
    }

    private StopEvent toEvent(int thread, Stop stop) {
        byte[] output = stop.output();
        switch (stop.kind()) {
            case BREAKPOINT -> {
                siginfo[thread] = Siginfo.trap(Siginfo.SI_KERNEL, stop.pc());
                StopEvent.Reason reason = breakpoints.get(stop.pc()) == BreakpointKind.HARDWARE
                        ? StopEvent.Reason.HWBREAK
                        : StopEvent.Reason.SWBREAK;
                return new StopEvent(thread, Siginfo.SIGTRAP, reason, 0, output, "");
            }
            case STEP -> {
                siginfo[thread] = Siginfo.trap(Siginfo.TRAP_TRACE, stop.pc());
                return new StopEvent(thread, Siginfo.SIGTRAP, StopEvent.Reason.SIGNAL, 0, output, "");
            }
            case WATCHPOINT -> {
                siginfo[thread] = Siginfo.trap(Siginfo.TRAP_HWBKPT, stop.dataAddress());
                StopEvent.Reason reason = StopEvent.Reason.WATCH;
                for (Watchpoint w : watchpoints) {
                    if (w.covers(stop.dataAddress(), 1)) {
                        reason = switch (w.kind()) {
                            case WRITE -> StopEvent.Reason.WATCH;
                            case READ -> StopEvent.Reason.RWATCH;
                            case ACCESS -> StopEvent.Reason.AWATCH;
                        };
                        break;
                    }
                }
                return new StopEvent(thread, Siginfo.SIGTRAP, reason, stop.dataAddress(), output, "");
            }
            default -> {
                EmulationFault fault = stop.fault().orElse(null);
                if (fault == null) {
                    siginfo[thread] = Siginfo.of(stop.signal(), Siginfo.SI_KERNEL, stop.pc());
                    return new StopEvent(thread, stop.signal(), StopEvent.Reason.SIGNAL, 0, output, "");
                }
                siginfo[thread] = Siginfo.ofFault(fault);
                boolean callReturned =
                        (fault.kind() == FaultKind.PROTECTED_FETCH || fault.kind() == FaultKind.UNMAPPED_FETCH)
                                && breakpoints.containsKey(stop.pc());
                if (callReturned) {
                    output = concat(output, flushStdio(thread));
                }
                return new StopEvent(thread, fault.signal(), StopEvent.Reason.SIGNAL, 0, output, message(fault));
            }
        }
    }

    /** What gdb's console should say besides the signal, for stops gdb cannot explain by itself. */
    private static String message(EmulationFault fault) {
        return switch (fault.kind()) {
            case UNSUPPORTED_SYSCALL, LOCK_WAIT, BUDGET_EXHAUSTED, INVALID_INSTRUCTION, SIGNAL_RAISED ->
                "corestub: " + fault.headline() + (fault.detail().isEmpty() ? "" : "\ncorestub: " + fault.detail());
            default -> "";
        };
    }

    /** stdio buffers (stdout to a file or pipe is fully buffered): flushed when a call returns, as output. */
    private byte[] flushStdio(int thread) {
        if (!emulator.options().flushStdio()) {
            return new byte[0];
        }
        try {
            emulator.selectThread(thread);
            CallResult result = emulator.call("fflush", Argument.of(0L));
            return result.output();
        } catch (CallFailedException | RuntimeException e) {
            log.debug("fflush(NULL) after a call failed: {}", e.getMessage());
            return new byte[0];
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (b.length == 0) {
            return a;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** Stops a running resume (thread-safe; a resume about to start stops at once). */
    public void interrupt() {
        interruptPending = true;
        if (running) {
            emulator.interrupt();
        }
    }

    /** Forgets an interrupt that came too late for the resume it was meant for. */
    public void clearInterrupt() {
        interruptPending = false;
    }

    public boolean running() {
        return running;
    }

    // ---- lldb: register state brackets, allocations, memory regions ---------------------------------

    /**
     * QSaveRegisterState: remembers a thread's registers, siginfo and the last stop; lldb saves before each
     * call it makes and restores after, so this also opens a call bracket (memory is restored first when the
     * previous call left it changed). Returns the save id (from 1).
     */
    public int saveRegisterState(int thread) {
        if (savedStates.size() >= MAX_SAVED_STATES) {
            // Saves lldb never restored (an abandoned expression): forget the oldest.
            savedStates.remove(savedStates.keySet().iterator().next());
        }
        if (brackets.onStateSaved(savedStates.size()) && restoreMode == RestoreMode.PER_CALL) {
            restore();
        }
        int id = nextSaveId++;
        savedStates.put(
                id,
                new SavedState(
                        thread,
                        RegisterLayout.readAll(registers[thread]),
                        siginfo[thread].clone(),
                        lastStop,
                        lastStopThread));
        callEntryPc = -1;
        return id;
    }

    /**
     * QRestoreRegisterState: puts a saved state back and closes its call bracket (memory is restored lazily,
     * at the next call or resume, so the call's result stays readable). When the call was lldb's
     * {@code mmap} for its own memory (no {@code _M}), the mapping it returned is kept across restores.
     */
    public boolean restoreRegisterState(int id) {
        SavedState saved = savedStates.remove(id);
        if (saved == null) {
            return false;
        }
        // Saves made after this one and never restored belong to calls lldb abandoned.
        savedStates.keySet().removeIf(newer -> newer > id);
        keepMmapResult(saved.thread());
        RegisterLayout.writeAll(registers[saved.thread()], saved.registers());
        siginfo[saved.thread()] = saved.siginfo();
        lastStop = saved.lastStop();
        lastStopThread = saved.lastStopThread();
        setUpThread = -1;
        brackets.onStateRestored(savedStates.size());
        callEntryPc = -1;
        return true;
    }

    private void keepMmapResult(int thread) {
        if (callEntryPc == -1 || lastStop.reason() != StopEvent.Reason.SWBREAK || lastStop.thread() != thread) {
            return;
        }
        if (mmapAddresses == null) {
            mmapAddresses = new HashSet<>();
            for (String name : List.of("mmap", "mmap64", "__mmap", "__mmap64")) {
                emulator.symbols().lookup(name).ifPresent(symbol -> mmapAddresses.add(symbol.address()));
            }
        }
        if (mmapAddresses.contains(callEntryPc)) {
            long address = registers[thread].general[0];
            if (emulator.keepMapping(address)) {
                log.debug("lldb's mmap at 0x{} kept across restores", Long.toHexString(address));
            }
        }
    }

    /** Whether {@code _M}/{@code _m} are answered (off: lldb has the process mmap its memory). */
    @Override
    public boolean allocationAllowed() {
        return allocationAllowed;
    }

    @Override
    public void setAllocationAllowed(boolean allowed) {
        allocationAllowed = allowed;
    }

    /** {@code _M}: memory for the debugger, outside every core mapping, kept across restores. */
    public long allocate(long size, int perms) {
        return emulator.allocate(size, perms);
    }

    public boolean deallocate(long address) {
        return emulator.deallocate(address);
    }

    /** A mapped range with its permissions ("rwx" letters, "" for a gap) and the file or [name] there. */
    public record MemoryRegion(long start, long end, String permissions, String name) {
        public boolean mapped() {
            return !permissions.isEmpty();
        }
    }

    /**
     * The region holding {@code address}: the core's segments (with their permissions and the file mapped
     * there), the memory made since (calls' mmap, {@code _M}); else the unmapped gap around it.
     */
    public MemoryRegion memoryRegion(long address) {
        if (coreRegions == null) {
            coreRegions = coreRegions();
        }
        TreeMap<Long, MemoryRegion> map = new TreeMap<>(coreRegions);
        for (ImageRegion r : emulator.regions()) {
            if (!r.partOfBase()) {
                map.put(
                        r.start(),
                        new MemoryRegion(
                                r.start(),
                                r.end(),
                                MemoryProtection.toRwx(r.basePerms()).replace("-", ""),
                                ""));
            }
        }
        long gapStart = 0;
        for (MemoryRegion r : map.values()) {
            if (Long.compareUnsigned(address, r.start()) < 0) {
                return new MemoryRegion(gapStart, r.start(), "", "");
            }
            if (Long.compareUnsigned(address, r.end()) < 0) {
                return r.permissions().isEmpty() ? new MemoryRegion(r.start(), r.end(), "-", r.name()) : r;
            }
            // Overlapping segments of a corrupt core must not move the gap backwards.
            gapStart = Long.compareUnsigned(r.end(), gapStart) > 0 ? r.end() : gapStart;
        }
        return new MemoryRegion(gapStart, 0, "", ""); // to the end of the address space
    }

    /** The core's own regions with lldb's names, computed once: lldb asks for a region at every unwind step. */
    private TreeMap<Long, MemoryRegion> coreRegions() {
        TreeMap<Long, MemoryRegion> map = new TreeMap<>(Long::compareUnsigned);
        long vdso = core.core().auxvValue(AuxvEntry.AT_SYSINFO_EHDR).orElse(-1L);
        long sp = threads.isEmpty() ? -1 : threads.get(0).registers().rsp();
        long interpreter = core.core().auxvValue(AuxvEntry.AT_BASE).orElse(-1L);
        for (LoadSegment segment : core.core().segments()) {
            if (segment.memorySize() <= 0) {
                continue;
            }
            String perms = segment.permissions().replace("-", "");
            String name = "";
            for (FileMapping m : core.core().fileMappings()) {
                if (m.contains(segment.vaddr())) {
                    name = core.lldbRegionName(m.path());
                    break;
                }
            }
            if (segment.vaddr() == vdso) {
                name = "[vdso]";
            } else if (segment.vaddr() == interpreter) {
                // No name at the dynamic linker's base: lldb would load it a second time by that name (beside
                // the library list's entry) and lose its symbols. lldb-on-a-core sees no names at all.
                name = "";
            } else if (name.isEmpty()
                    && Long.compareUnsigned(sp, segment.vaddr()) >= 0
                    && Long.compareUnsigned(sp, segment.end()) < 0) {
                name = "[stack]";
            }
            map.put(segment.vaddr(), new MemoryRegion(segment.vaddr(), segment.end(), perms, name));
        }
        return map;
    }

    // ---- state --------------------------------------------------------------------------------------

    /** Memory back to the crash image (registers are gdb's to restore). */
    public void restore() {
        emulator.restoreCrashImage();
        brackets.restored();
    }

    /** The process was killed: everything back to the crash state. */
    public void reset() {
        restore();
        brackets.reset();
        savedStates.clear();
        callEntryPc = -1;
        breakpoints.clear();
        watchpoints.clear();
        resetThreads();
    }

    @Override
    public RestoreMode restoreMode() {
        return restoreMode;
    }

    @Override
    public void setRestoreMode(RestoreMode mode) {
        restoreMode = mode;
    }

    @Override
    public java.time.Duration budget() {
        return budget.time();
    }

    @Override
    public void setBudget(java.time.Duration time) {
        this.budget = new CallBudget(budget.instructions(), time);
        emulator.setBudget(budget);
    }

    @Override
    public String info() {
        StringBuilder s = new StringBuilder();
        s.append("core: ").append(core.core().path()).append('\n');
        s.append(core.summary()).append('\n');
        for (int i = 0; i < threadCount(); i++) {
            s.append(String.format("  thread %d: LWP %d, pc 0x%x%n", i + 1, tid(i), registers(i).rip));
        }
        s.append("restore-mode ")
                .append(restoreMode.label())
                .append(", budget ")
                .append(budget.time().toMillis())
                .append(" ms, calls in progress ")
                .append(brackets.depth())
                .append('\n');
        return s.toString();
    }

    @Override
    public void saveSnapshot(String name) {
        emulator.saveSnapshot(name);
    }

    @Override
    public void restoreSnapshot(Optional<String> name) {
        if (name.isEmpty()) {
            restore();
            return;
        }
        if (!emulator.snapshots().contains(name.get())) {
            throw new IllegalArgumentException("no snapshot '" + name.get() + "' (monitor snapshot list)");
        }
        emulator.restoreSnapshot(name.get());
    }

    @Override
    public List<String> snapshots() {
        return emulator.snapshots();
    }

    @Override
    public boolean deleteSnapshot(String name) {
        return emulator.deleteSnapshot(name);
    }

    @Override
    public Optional<io.coredumptools.emulator.call.InstructionTrace> trace() {
        return emulator.trace();
    }

    @Override
    public String patches() {
        return emulator.patches().listing();
    }

    @Override
    public void setLockBypass(boolean on) {
        emulator.setLockBypass(on);
    }

    public boolean tracing() {
        return tracing;
    }

    @Override
    public void setTracing(boolean on) {
        tracing = on;
        emulator.setTrace(on ? TRACE_LIMIT : 0);
    }

    public CallBrackets brackets() {
        return brackets;
    }

    @Override
    public void close() {
        emulator.close();
    }
}
