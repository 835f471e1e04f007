package io.coredumptools.emulator.run;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.debug.Watchpoint;
import io.coredumptools.emulator.syscall.SyscallStop;
import io.coredumptools.emulator.unicorn.HookHandle;
import io.coredumptools.emulator.unicorn.MemoryAccessType;
import io.coredumptools.emulator.unicorn.SharedCallback;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.UnicornErrors;
import io.coredumptools.emulator.unicorn.X86Register;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one way code runs in an engine: calls, debugger resumes and single steps all go through {@link #run}, which
 * resets the per-run state, arms the time budget, runs unicorn and says how the run ended as a {@link RunResult}
 * (no exception for any way code can stop).
 *
 * <p><b>Always counted.</b> Every run passes an instruction count to unicorn (the budget's, 1 for a step, else
 * {@link Long#MAX_VALUE}). Unicorn 2.0.1 counts with an internal code hook on every instruction, which also keeps
 * rip exact at every instruction: a memory fault in an uncounted run reports the start of the translated block
 * while the other registers are already those of the faulting instruction. Never switching between counted and
 * uncounted runs also matters on its own: unicorn deletes its count hook for an uncounted run and flushes the whole
 * translation cache, which makes about 1 GiB of translation buffer resident and costs seconds (measured:
 * 121 → 1143 MiB and 2.5 s on the first switch). The price is a helper call per instruction (a 100k-node list walk:
 * 0.3 → 1.6 ms); a trivial call costs the same.
 *
 * <p><b>Hooks once per engine.</b> The system call, interrupt and invalid-memory hooks are registered at
 * construction; breakpoints and watchpoints are code and memory hooks sharing one JNA callback each, added and
 * removed only when the debugger's set changes. With the count hook in place unicorn calls hooks added after
 * code was translated, so no translation has to be dropped for them. A breakpoint the debugger removes keeps its
 * hook, idle, for when it comes back: gdb inserts its breakpoints before every resume and removes them at every
 * stop (three per inferior call), and adding and deleting unicorn hooks cost about 10 µs a pair (measured), a
 * tenth of a trivial call. An idle hook that fires (code ran there) is deleted after that run, and at most
 * {@link #MAX_IDLE_BREAKPOINT_HOOKS} are kept.
 *
 * <p><b>Watchpoints</b> stop after the access, as hardware watchpoints do. Unicorn stops inside the accessing
 * instruction, after the store but before the rest of it (a push has stored but not moved rsp): the runner puts the
 * stored bytes back, so the instruction has had no effect, and runs it once more as a single step without
 * watchpoints. Re-running a read-modify-write instruction from its own start applies it once.
 *
 * <p>Not thread-safe, except {@link #interrupt()}.
 */
public final class Runner implements AutoCloseable {
    /** The end address of a run that has none (a debugger resume): never reached by ordinary code. */
    public static final long NO_END = 0xffff_ffff_ffff_fff0L;

    private static final long UNLIMITED = Long.MAX_VALUE;
    private static final byte HLT = (byte) 0xf4;
    private static final int GENERAL_PROTECTION = 13;
    /** Hooks of removed breakpoints kept for their return; past this many the oldest are deleted. */
    static final int MAX_IDLE_BREAKPOINT_HOOKS = 16;

    private final Unicorn uc;
    private final SyscallHandler syscalls;
    private final Watchdog watchdog;
    private final SharedCallback breakpointCallback;
    private final SharedCallback watchpointCallback;
    /** Every breakpoint hook registered, active or idle, the oldest idle first. */
    private final Map<Long, HookHandle> breakpointHooks = new LinkedHashMap<>();
    /** The breakpoints of the current run: the hooks of the others are idle. */
    private final Set<Long> activeBreakpoints = new HashSet<>();
    /** Idle hooks that fired in this run: deleted after it, so code running there pays no more callbacks. */
    private final Set<Long> idleHooksHit = new HashSet<>();

    private final Map<Watchpoint, HookHandle> watchpointHooks = new LinkedHashMap<>();

    private volatile boolean interruptRequested;
    // ---- state of the current run -----------------------------------------------------------------------
    private MemoryAccessType faultType;
    private long faultAddress;
    private int interruptNumber = -1;
    private long breakpointHit = -1;
    private long skipBreakpointAt = -1;
    private boolean stepping;
    private Watchpoint watchHit;
    private long watchAddress;
    private MemoryAccessType watchAccess;
    private byte[] watchOldBytes;
    private boolean watchpointsSuppressed;

    /** Resolves an invalid memory access inside a run, for example by mapping a page; true to retry the access. */
    @FunctionalInterface
    public interface FaultResolver {
        boolean resolve(MemoryAccessType type, long address, int size);

        FaultResolver NONE = (type, address, size) -> false;
    }

    public Runner(Unicorn uc, SyscallHandler syscalls) {
        this(uc, syscalls, FaultResolver.NONE);
    }

    public Runner(Unicorn uc, SyscallHandler syscalls, FaultResolver faults) {
        this.uc = uc;
        this.syscalls = syscalls;
        this.watchdog = new Watchdog(uc);
        uc.addSyscallHook(syscalls::onSyscall);
        uc.addInterruptHook((engine, number) -> {
            if (interruptNumber < 0) {
                interruptNumber = number;
            }
            engine.stop();
        });
        uc.addInvalidMemoryHook((engine, type, address, size, value) -> {
            if (faultType == null && faults.resolve(type, address, size)) {
                return true;
            }
            if (faultType == null) {
                faultType = type;
                faultAddress = address;
            }
            return false;
        });
        this.breakpointCallback = uc.sharedCodeCallback(this::onBreakpoint);
        this.watchpointCallback = uc.sharedMemoryAccessCallback(this::onWatchedAccess);
    }

    public Unicorn unicorn() {
        return uc;
    }

    /** Stops the running run from another thread; it ends as {@link RunResult.Cause#INTERRUPTED}. */
    public void interrupt() {
        interruptRequested = true;
        uc.stop();
    }

    /** Runs from {@code request.pc()} with the registers the engine holds; they hold the state at the stop after. */
    public RunResult run(RunRequest request) {
        syncBreakpoints(request.breakpoints());
        syncWatchpoints(request.watchpoints());
        resetRunState();
        interruptRequested = false;
        stepping = request.singleStep();
        skipBreakpointAt = request.breakpoints().contains(request.pc()) ? request.pc() : -1;
        long count = request.singleStep()
                ? 1
                : request.budget().instructions() > 0 ? request.budget().instructions() : UNLIMITED;
        syscalls.onRunStart();
        long started = System.nanoTime();
        watchdog.arm(request.budget().time().toNanos());
        int error;
        boolean expired;
        try {
            error = uc.run(request.pc(), request.until(), 0, count);
        } finally {
            expired = watchdog.disarm();
        }
        RunResult result = classify(request, error, expired, started);
        if (result.cause() == RunResult.Cause.WATCHPOINT) {
            result = completeWatchedInstruction(result, started);
        }
        deleteIdleHooksHit();
        return result;
    }

    private void resetRunState() {
        faultType = null;
        faultAddress = 0;
        interruptNumber = -1;
        breakpointHit = -1;
        watchHit = null;
        watchOldBytes = null;
        watchpointsSuppressed = false;
    }

    private RunResult classify(RunRequest request, int error, boolean expired, long started) {
        long nanos = System.nanoTime() - started;
        Throwable failure = uc.takeHookFailure();
        Optional<SyscallStop> syscallStop = syscalls.takeStop();
        long pc = uc.readRegister(X86Register.RIP);
        if (failure != null) {
            return error(pc, "a hook failed: " + failure, nanos);
        }
        if (syscallStop.isPresent()) {
            return new RunResult(
                    RunResult.Cause.SYSCALL_STOP,
                    pc,
                    syscallStop.get().address(),
                    Optional.empty(),
                    -1,
                    syscallStop,
                    Optional.empty(),
                    Optional.empty(),
                    nanos);
        }
        if (faultType != null) {
            return new RunResult(
                    RunResult.Cause.MEMORY_FAULT,
                    faultType.name().startsWith("FETCH") ? faultAddress : pc,
                    faultAddress,
                    Optional.of(faultType),
                    -1,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    nanos);
        }
        if (interruptNumber >= 0) {
            return new RunResult(
                    RunResult.Cause.CPU_EXCEPTION,
                    pc,
                    0,
                    Optional.empty(),
                    interruptNumber,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    nanos);
        }
        if (error == UnicornErrors.INSN_INVALID) {
            if (!stepping && pc != skipBreakpointAt && activeBreakpoints.contains(pc)) {
                // The translation guard refused it before its breakpoint hook could run: a CPU traps on the
                // breakpoint first, and raises the invalid instruction when the debugger resumes from it.
                return RunResult.of(RunResult.Cause.BREAKPOINT, pc, nanos);
            }
            return RunResult.of(RunResult.Cause.INVALID_INSTRUCTION, pc, nanos);
        }
        if (error != UnicornErrors.OK) {
            return error(pc, UnicornErrors.describe(error), nanos);
        }
        if (breakpointHit >= 0) {
            return RunResult.of(RunResult.Cause.BREAKPOINT, breakpointHit, nanos);
        }
        if (watchHit != null) {
            return new RunResult(
                    RunResult.Cause.WATCHPOINT,
                    pc,
                    watchAddress,
                    Optional.of(watchAccess),
                    -1,
                    Optional.empty(),
                    Optional.of(watchHit),
                    Optional.empty(),
                    nanos);
        }
        if (pc == request.until()) {
            return RunResult.of(RunResult.Cause.RETURNED, pc, nanos);
        }
        if (interruptRequested) {
            return RunResult.of(RunResult.Cause.INTERRUPTED, pc, nanos);
        }
        if (expired) {
            return RunResult.of(RunResult.Cause.TIME_BUDGET, pc, nanos);
        }
        if (request.singleStep()) {
            return RunResult.of(RunResult.Cause.STEPPED, pc, nanos);
        }
        if (request.budget().instructions() > 0) {
            return RunResult.of(RunResult.Cause.INSTRUCTION_BUDGET, pc, nanos);
        }
        if (readsHlt(pc - 1)) {
            // Unicorn halts past a hlt; hlt is privileged: in user mode the CPU raises #GP at the hlt, which
            // Linux delivers as SIGSEGV there. Nothing else stops a run without a reason.
            uc.writeRegister(X86Register.RIP, pc - 1);
            return new RunResult(
                    RunResult.Cause.CPU_EXCEPTION,
                    pc - 1,
                    0,
                    Optional.empty(),
                    GENERAL_PROTECTION,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    nanos);
        }
        return error(pc, "the emulation stopped without a reason unicorn reports", nanos);
    }

    private boolean readsHlt(long pc) {
        try {
            return uc.readMemory(pc, 1)[0] == HLT;
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    private static RunResult error(long pc, String why, long nanos) {
        return new RunResult(
                RunResult.Cause.ERROR,
                pc,
                0,
                Optional.empty(),
                -1,
                Optional.empty(),
                Optional.empty(),
                Optional.of(why),
                nanos);
    }

    /**
     * The watched access stopped the run inside its instruction: undo the store, run the instruction once more
     * without watchpoints, and report the watchpoint at the next instruction (or what stopped the rerun).
     */
    private RunResult completeWatchedInstruction(RunResult hit, long started) {
        if (watchOldBytes != null) {
            uc.writeMemory(watchAddress, watchOldBytes);
        }
        Watchpoint watchpoint = watchHit;
        long address = watchAddress;
        MemoryAccessType access = watchAccess;
        resetRunState();
        watchpointsSuppressed = true;
        stepping = true;
        skipBreakpointAt = hit.pc();
        RunRequest step = new RunRequest(hit.pc(), NO_END, CallBudget.DEFAULT, true, Set.of(), List.of());
        syscalls.onRunStart();
        int error = uc.run(hit.pc(), NO_END, 0, 1);
        RunResult rerun = classify(step, error, false, started);
        watchpointsSuppressed = false;
        if (rerun.cause() != RunResult.Cause.STEPPED) {
            return rerun;
        }
        return new RunResult(
                RunResult.Cause.WATCHPOINT,
                rerun.pc(),
                address,
                Optional.of(access),
                -1,
                Optional.empty(),
                Optional.of(watchpoint),
                Optional.empty(),
                rerun.nanos());
    }

    // ---- hooks ---------------------------------------------------------------------------------------

    private void onBreakpoint(Unicorn engine, long address, int size) {
        if (!activeBreakpoints.contains(address)) {
            idleHooksHit.add(address); // a removed breakpoint's idle hook
            return;
        }
        if (address == skipBreakpointAt) {
            // The run starts on this breakpoint: a debugger resuming from it means to pass it, once.
            skipBreakpointAt = -1;
            return;
        }
        skipBreakpointAt = -1;
        if (stepping) {
            return; // a single step reports the step, not the breakpoint it lands on
        }
        breakpointHit = address;
        engine.stop();
    }

    private void onWatchedAccess(Unicorn engine, MemoryAccessType type, long address, int size, long value) {
        if (watchpointsSuppressed || watchHit != null) {
            return;
        }
        boolean write = type == MemoryAccessType.WRITE;
        for (Watchpoint w : watchpointHooks.keySet()) {
            boolean kindMatches = w.kind() == Watchpoint.Kind.ACCESS || (w.kind() == Watchpoint.Kind.WRITE) == write;
            if (kindMatches && w.covers(address, size)) {
                watchHit = w;
                watchAddress = address;
                watchAccess = type;
                // The hook runs before the store: these are the bytes to put back.
                watchOldBytes = write ? engine.readMemory(address, size) : null;
                engine.stop();
                return;
            }
        }
    }

    private void syncBreakpoints(Set<Long> wanted) {
        activeBreakpoints.clear();
        activeBreakpoints.addAll(wanted);
        for (long address : wanted) {
            HookHandle kept = breakpointHooks.remove(address);
            // Re-inserted at the end: the map's order is idle age, the active ones last.
            breakpointHooks.put(address, kept != null ? kept : uc.addCodeHook(address, address, breakpointCallback));
        }
        int idle = breakpointHooks.size() - wanted.size();
        var hooks = breakpointHooks.entrySet().iterator();
        while (idle > MAX_IDLE_BREAKPOINT_HOOKS && hooks.hasNext()) {
            var hook = hooks.next();
            if (!wanted.contains(hook.getKey())) {
                uc.removeHook(hook.getValue());
                hooks.remove();
                idle--;
            }
        }
    }

    private void deleteIdleHooksHit() {
        for (long address : idleHooksHit) {
            if (!activeBreakpoints.contains(address)) {
                HookHandle hook = breakpointHooks.remove(address);
                if (hook != null) {
                    uc.removeHook(hook);
                }
            }
        }
        idleHooksHit.clear();
    }

    /** How many breakpoint hooks are registered, idle ones included (for tests). */
    int registeredBreakpointHooks() {
        return breakpointHooks.size();
    }

    private void syncWatchpoints(List<Watchpoint> wanted) {
        Set<Watchpoint> wantedSet = Set.copyOf(wanted);
        watchpointHooks.entrySet().removeIf(e -> {
            if (wantedSet.contains(e.getKey())) {
                return false;
            }
            uc.removeHook(e.getValue());
            return true;
        });
        for (Watchpoint w : wanted) {
            if (!watchpointHooks.containsKey(w)) {
                long end = w.address() + Math.max(1, w.length()) - 1;
                if (Long.compareUnsigned(end, w.address()) < 0) {
                    end = -1L; // to the top of the address space (begin > end would mean everywhere)
                }
                boolean reads = w.kind() != Watchpoint.Kind.WRITE;
                boolean writes = w.kind() != Watchpoint.Kind.READ;
                watchpointHooks.put(w, uc.addMemoryAccessHook(w.address(), end, reads, writes, watchpointCallback));
            }
        }
    }

    @Override
    public void close() {
        watchdog.close();
    }
}
