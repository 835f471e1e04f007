package io.coredumptools.emulator.call;

import io.coredumptools.elfcore.GeneralRegisters;
import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.emulator.Argument;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.CallResult;
import io.coredumptools.emulator.EmulationFault;
import io.coredumptools.emulator.FaultKind;
import io.coredumptools.emulator.StackFrame;
import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.emulator.debug.ResumeRequest;
import io.coredumptools.emulator.debug.Stop;
import io.coredumptools.emulator.debug.Watchpoint;
import io.coredumptools.emulator.disasm.Disassembler;
import io.coredumptools.emulator.disasm.Instruction;
import io.coredumptools.emulator.memory.MemoryImage;
import io.coredumptools.emulator.syscall.SyscallEmulator;
import io.coredumptools.emulator.syscall.SyscallStop;
import io.coredumptools.emulator.unicorn.HookHandle;
import io.coredumptools.emulator.unicorn.MemoryAccessType;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.emulator.unicorn.RegisterBatch;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.UnicornContext;
import io.coredumptools.emulator.unicorn.UnicornErrors;
import io.coredumptools.emulator.unicorn.UnicornException;
import io.coredumptools.emulator.unicorn.X86Register;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one function of the core on a thread's registers until it returns to a sentinel address, under a
 * budget, turning every way it can stop early into an {@link EmulationFault}.
 */
public final class CallEngine {
    /** The call stack: big enough for printf and friends, mapped lazily so its size costs nothing. */
    private static final long STACK_SIZE = 8L << 20;
    /** Below the top: room the ABI lets callees use above their frame is not needed, but keep clear of the edge. */
    private static final long STACK_TOP_GAP = 256;

    private static final byte INT3 = (byte) 0xCC;

    private final Unicorn uc;
    private final MemoryImage image;
    private final SyscallEmulator syscalls;
    private final Symbolizer symbolizer;
    private final Disassembler disassembler;
    private final Backtracer backtracer;
    private final long stackTop;
    private final long sentinel;
    private volatile boolean interruptRequested;
    private MemoryFault memoryFault;
    private int interruptNumber = -1;
    private InstructionTrace trace;
    private HookHandle traceHook;
    private final CallWatchdog watchdog;
    /** Each thread's registers as a saved unicorn context: one native call loads them for a call. */
    private final Map<ThreadState, UnicornContext> threadContexts = new IdentityHashMap<>();

    private final RegisterBatch argumentRegisters = new RegisterBatch(List.of(
            X86Register.RDI,
            X86Register.RSI,
            X86Register.RDX,
            X86Register.RCX,
            X86Register.R8,
            X86Register.R9,
            X86Register.RAX,
            X86Register.RSP));
    private final long[] argumentValues = new long[8];
    private final RegisterBatch resultRegisters = new RegisterBatch(List.of(X86Register.RAX, X86Register.RIP));
    private final long[] resultValues = new long[2];

    private record MemoryFault(MemoryAccessType type, long address) {}

    public CallEngine(Unicorn uc, MemoryImage image, SyscallEmulator syscalls, Symbolizer symbolizer) {
        this.uc = uc;
        this.image = image;
        this.syscalls = syscalls;
        this.symbolizer = symbolizer;
        this.disassembler = new Disassembler();
        this.backtracer = new Backtracer(image, symbolizer);
        long stack = image.findFreeRange(STACK_SIZE);
        image.mapBaseAnonymous(stack, STACK_SIZE, MemoryProtection.READ | MemoryProtection.WRITE);
        this.stackTop = stack + STACK_SIZE;
        // The sentinel lies in a page of int3s outside every core mapping: returning there ends the call,
        // and anything else that jumps there stops as a breakpoint rather than running stray bytes.
        long sentinelPage = image.findFreeRange(4096);
        image.mapBaseAnonymous(sentinelPage, 4096, MemoryProtection.READ | MemoryProtection.EXEC);
        byte[] traps = new byte[4096];
        Arrays.fill(traps, INT3);
        image.writeBase(sentinelPage, traps);
        this.sentinel = sentinelPage + 0x800;
        uc.addSyscallHook(syscalls::onSyscall);
        uc.addInterruptHook((engine, number) -> {
            interruptNumber = number;
            engine.stop();
        });
        uc.addInvalidMemoryHook((engine, type, address, size, value) -> {
            memoryFault = new MemoryFault(type, address);
            return false;
        });
        this.watchdog = new CallWatchdog(uc);
    }

    /** The address a call returns to; a debugger front end uses it as the dummy frame's return address. */
    public long sentinel() {
        return sentinel;
    }

    public long stackTop() {
        return stackTop;
    }

    /** Turns the instruction trace on (keeping at most {@code limit} lines) or off (limit 0). */
    public void setTrace(int limit) {
        if (traceHook != null) {
            uc.removeHook(traceHook);
            traceHook = null;
        }
        trace = null;
        if (limit > 0) {
            trace = new InstructionTrace(disassembler, symbolizer, limit);
            InstructionTrace t = trace;
            traceHook = uc.addCodeHook(1, 0, t::onInstruction);
        }
    }

    /** Starts a new trace for the next call (when tracing is on); {@code housekeeping} runs are not traced. */
    public void beginTracedCall(boolean housekeeping) {
        if (trace != null) {
            if (!housekeeping) {
                trace.reset();
            }
            trace.setPaused(housekeeping);
        }
    }

    /** Housekeeping is over: instructions are traced again (into the same call's trace). */
    public void endHousekeeping() {
        if (trace != null) {
            trace.setPaused(false);
        }
    }

    /** The trace of the latest call, if tracing is on. */
    public Optional<InstructionTrace> trace() {
        return Optional.ofNullable(trace);
    }

    /** Stops the running call from another thread; it ends with an {@link FaultKind#INTERRUPTED} fault. */
    public void interrupt() {
        interruptRequested = true;
        uc.stop();
    }

    /**
     * Calls {@code function} with {@code arguments} on {@code thread}'s registers (TLS through its fs_base).
     *
     * @return the result, or the fault that ended the call
     */
    public Outcome call(ThreadState thread, long function, List<Argument> arguments, CallBudget budget) {
        loadThread(thread);
        ArgumentPlacement placement = ArgumentPlacement.of(arguments);
        long sp = pushFrame(placement.stackWords());
        List<ArgumentPlacement.RegisterValue> integers = placement.integerRegisters();
        var registers = thread.registers();
        long[] unused = {
            registers.rdi(), registers.rsi(), registers.rdx(), registers.rcx(), registers.r8(), registers.r9()
        };
        for (int i = 0; i < 6; i++) {
            argumentValues[i] = i < integers.size() ? integers.get(i).value() : unused[i];
        }
        // For variadic callees (printf): AL holds how many vector registers carry arguments.
        argumentValues[6] = placement.vectorRegisters().size();
        argumentValues[7] = sp;
        uc.writeRegisters(argumentRegisters, argumentValues);
        for (int i = 0; i < placement.vectorRegisters().size(); i++) {
            byte[] xmm = ByteBuffer.allocate(16)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putDouble(placement.vectorRegisters().get(i))
                    .array();
            uc.writeWideRegister(X86Register.xmm(i), xmm);
        }
        return run(function, budget);
    }

    /** The thread's registers from the core, through a context saved the first time. */
    private void loadThread(ThreadState thread) {
        UnicornContext context = threadContexts.get(thread);
        if (context == null) {
            ThreadRegisters.load(uc, thread);
            threadContexts.put(thread, uc.saveContext());
        } else {
            uc.restoreContext(context);
        }
    }

    /** Unicorn needs an end address; a debugger resume has none, so this one is never reached. */
    private static final long NO_END = 0xffff_ffff_ffff_fff0L;

    /**
     * Resumes a thread as a debugger does: from {@code registers} (updated in place to the state at the stop)
     * for one instruction or until a breakpoint, watchpoint, fault or the budget. Breakpoints are hooks:
     * nothing is written into the image.
     */
    public Stop resume(RegisterFile registers, ResumeRequest request) {
        return new DebugRun(registers, request).run();
    }

    /** One debugger resume: its hooks live only while it runs. */
    private final class DebugRun {
        private final RegisterFile registers;
        private final ResumeRequest request;
        private final long startPc;
        private final List<HookHandle> hooks = new ArrayList<>();
        private long breakpointHit = -1;
        private long watchedAccess = -1;
        private boolean firstInstruction = true;

        DebugRun(RegisterFile registers, ResumeRequest request) {
            this.registers = registers;
            this.request = request;
            this.startPc = registers.rip;
        }

        Stop run() {
            registers.loadIntoEngine(uc);
            for (long address : request.breakpoints()) {
                hooks.add(uc.addCodeHook(address, address, (engine, at, size) -> onBreakpoint(engine, at)));
            }
            for (Watchpoint w : request.watchpoints()) {
                boolean reads = w.kind() != Watchpoint.Kind.WRITE;
                boolean writes = w.kind() != Watchpoint.Kind.READ;
                hooks.add(uc.addMemoryAccessHook(
                        w.address(),
                        w.address() + w.length() - 1,
                        reads,
                        writes,
                        (engine, type, address, size, value) -> {
                            if (w.covers(address, size) && watchedAccess < 0) {
                                watchedAccess = address;
                                engine.stop();
                            }
                        }));
            }
            // Code translated before a hook was added does not call it: drop what was translated there.
            for (long address : request.breakpoints()) {
                try {
                    uc.removeTranslationCache(address, address + 1);
                } catch (RuntimeException unmapped) {
                    // nothing translated there
                }
            }
            if (!request.watchpoints().isEmpty()) {
                uc.flushTranslationCache();
            }
            if (!request.breakpoints().contains(startPc)) {
                firstInstruction = false;
            }
            memoryFault = null;
            interruptNumber = -1;
            interruptRequested = false;
            syscalls.onRunStart();
            UnicornException error = null;
            watchdog.arm(request.budget().time().toNanos());
            try {
                uc.start(
                        startPc,
                        NO_END,
                        0,
                        request.singleStep() ? 1 : request.budget().instructions());
            } catch (UnicornException e) {
                error = e;
            } finally {
                boolean expired = watchdog.disarm();
                hooks.forEach(uc::removeHook);
                registers.storeFromEngine(uc);
                if (expired) {
                    error = null;
                }
            }
            return classify(error);
        }

        private void onBreakpoint(Unicorn engine, long address) {
            if (firstInstruction && address == startPc) {
                // The thread sits on this breakpoint: the debugger resumes past it.
                firstInstruction = false;
                return;
            }
            breakpointHit = address;
            engine.stop();
        }

        private Stop classify(UnicornException error) {
            byte[] output = syscalls.takeOutput();
            Optional<SyscallStop> syscallStop = syscalls.takeStop();
            long pc = registers.rip;
            if (breakpointHit >= 0) {
                registers.rip = breakpointHit;
                return stop(Stop.Kind.BREAKPOINT, breakpointHit, -1, output);
            }
            if (watchedAccess >= 0) {
                return stop(Stop.Kind.WATCHPOINT, pc, watchedAccess, output);
            }
            boolean stoppedEarly =
                    error != null || syscallStop.isPresent() || interruptNumber >= 0 || interruptRequested;
            if (!stoppedEarly && request.singleStep()) {
                return stop(Stop.Kind.STEP, pc, -1, output);
            }
            if (memoryFault != null && memoryFault.type().name().startsWith("FETCH")) {
                // The CPU faults on fetching the target: a live thread reports pc there (gdb's call dummy
                // on a non-executable stack relies on it).
                pc = memoryFault.address();
                registers.rip = pc;
            }
            // A debugger shows its own backtrace and disassembly; building them here (Capstone through JNA)
            // cost more than the rest of a resume, and gdb's every call ends in such a stop (its dummy).
            EmulationFault fault = describeFault(pc, error, syscallStop, 0, request.budget(), false);
            if (fault.kind() == FaultKind.BREAKPOINT) {
                registers.rip = fault.pc();
            }
            return new Stop(
                    Stop.Kind.SIGNAL, fault.signal(), registers.rip, fault.address(), Optional.of(fault), output);
        }

        private Stop stop(Stop.Kind kind, long pc, long data, byte[] output) {
            return new Stop(kind, Stop.SIGTRAP, pc, data, Optional.empty(), output);
        }
    }

    /** Pushes stack arguments and the sentinel return address; returns RSP at the callee's entry. */
    private long pushFrame(List<Long> stackWords) {
        long sp = (stackTop - STACK_TOP_GAP) & ~0xfL;
        // At entry (after the return address is pushed) RSP+8 must be 16-byte aligned.
        if ((stackWords.size() & 1) == 1) {
            sp -= 8;
        }
        ByteBuffer frame = ByteBuffer.allocate(8 * (stackWords.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
        frame.putLong(sentinel);
        stackWords.forEach(frame::putLong);
        sp -= frame.capacity();
        image.write(sp, frame.array());
        return sp;
    }

    /** How a call ended: its result or its fault. */
    public record Outcome(Optional<CallResult> result, Optional<EmulationFault> fault) {
        static Outcome returned(CallResult result) {
            return new Outcome(Optional.of(result), Optional.empty());
        }

        static Outcome faulted(EmulationFault fault) {
            return new Outcome(Optional.empty(), Optional.of(fault));
        }
    }

    private Outcome run(long begin, CallBudget budget) {
        memoryFault = null;
        interruptNumber = -1;
        interruptRequested = false;
        syscalls.onRunStart();
        long executedBefore = trace == null ? 0 : trace.executed();
        long started = System.nanoTime();
        UnicornException error = null;
        watchdog.arm(budget.time().toNanos());
        try {
            uc.start(begin, sentinel, 0, budget.instructions());
        } catch (UnicornException e) {
            error = e;
        } finally {
            watchdog.disarm();
        }
        long nanos = System.nanoTime() - started;
        uc.readRegisters(resultRegisters, resultValues);
        long pc = resultValues[1];
        Optional<SyscallStop> syscallStop = syscalls.takeStop();
        if (error == null && syscallStop.isEmpty() && interruptNumber < 0 && !interruptRequested && pc == sentinel) {
            long rax = resultValues[0];
            double xmm0 = ByteBuffer.wrap(uc.readWideRegister(X86Register.XMM0))
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getDouble();
            long executed = trace == null ? -1 : trace.executed() - executedBefore;
            return Outcome.returned(new CallResult(rax, xmm0, syscalls.takeOutput(), executed, nanos));
        }
        return Outcome.faulted(describeFault(pc, error, syscallStop, nanos, budget, true));
    }

    /** @param detailed with a scanned backtrace and the disassembly around pc; else only pc's frame */
    private EmulationFault describeFault(
            long pc,
            UnicornException error,
            Optional<SyscallStop> syscallStop,
            long nanos,
            CallBudget budget,
            boolean detailed) {
        FaultKind kind;
        long address = pc;
        String detail = "";
        if (syscallStop.isPresent()) {
            kind = syscallStop.get().kind();
            address = syscallStop.get().address();
            detail = syscallStop.get().detail();
            if (kind == FaultKind.SIGNAL_RAISED) {
                address = pc;
            }
        } else if (memoryFault != null) {
            kind = memoryKind(memoryFault.type());
            address = memoryFault.address();
            detail = image.describe(address);
        } else if (interruptRequested) {
            kind = FaultKind.INTERRUPTED;
            detail = "the call was interrupted after " + nanos / 1_000_000 + " ms";
        } else if (interruptNumber >= 0) {
            kind = switch (interruptNumber) {
                case 0 -> FaultKind.DIVIDE_ERROR;
                case 3 -> FaultKind.BREAKPOINT;
                case 6 -> FaultKind.INVALID_INSTRUCTION;
                default -> FaultKind.PROTECTED_READ;
            };
            if (kind == FaultKind.BREAKPOINT) {
                // int3 has executed: the trap is at the byte before.
                pc -= 1;
                address = pc;
            }
            detail = "CPU exception " + interruptNumber;
        } else if (error != null && error.errorCode() == UnicornErrors.INSN_INVALID) {
            kind = FaultKind.INVALID_INSTRUCTION;
            detail =
                    "unicorn cannot execute the instruction at pc (AVX and xsave-family instructions are not supported)";
        } else if (error != null) {
            kind = FaultKind.INVALID_INSTRUCTION;
            detail = error.getMessage();
        } else {
            kind = FaultKind.BUDGET_EXHAUSTED;
            detail = "the call ran for " + nanos / 1_000_000 + " ms"
                    + (budget.instructions() > 0
                            ? " (budget " + budget.instructions() + " instructions, "
                            : " (budget ")
                    + budget.time().toMillis() + " ms) without returning";
        }
        GeneralRegisters registers = readRegisters(pc);
        if (!detailed) {
            return new EmulationFault(
                    kind,
                    address,
                    pc,
                    registers,
                    List.of(new StackFrame(0, pc, symbolizer.describe(pc))),
                    List.of(),
                    detail);
        }
        List<StackFrame> backtrace = backtracer.backtrace(pc, registers.rsp(), stackTop, sentinel);
        return new EmulationFault(kind, address, pc, registers, backtrace, disassemblyAround(pc), detail);
    }

    private static FaultKind memoryKind(MemoryAccessType type) {
        return switch (type) {
            case READ_UNMAPPED -> FaultKind.UNMAPPED_READ;
            case WRITE_UNMAPPED -> FaultKind.UNMAPPED_WRITE;
            case FETCH_UNMAPPED -> FaultKind.UNMAPPED_FETCH;
            case WRITE_PROT -> FaultKind.PROTECTED_WRITE;
            case FETCH_PROT -> FaultKind.PROTECTED_FETCH;
            default -> FaultKind.PROTECTED_READ;
        };
    }

    private GeneralRegisters readRegisters(long pc) {
        return new GeneralRegisters(
                r(X86Register.R15),
                r(X86Register.R14),
                r(X86Register.R13),
                r(X86Register.R12),
                r(X86Register.RBP),
                r(X86Register.RBX),
                r(X86Register.R11),
                r(X86Register.R10),
                r(X86Register.R9),
                r(X86Register.R8),
                r(X86Register.RAX),
                r(X86Register.RCX),
                r(X86Register.RDX),
                r(X86Register.RSI),
                r(X86Register.RDI),
                -1,
                pc,
                0x33,
                r(X86Register.EFLAGS),
                r(X86Register.RSP),
                0x2b,
                r(X86Register.FS_BASE),
                r(X86Register.GS_BASE),
                0,
                0,
                0,
                0);
    }

    private long r(X86Register register) {
        return uc.readRegister(register);
    }

    /** Up to four instructions before pc (decoded from the start of its function) and four from pc. */
    private List<String> disassemblyAround(long pc) {
        List<String> lines = new ArrayList<>();
        long start = functionStart(pc);
        try {
            byte[] code = readCode(start, (int) (pc - start) + 64);
            List<Instruction> decoded = disassembler.disassemble(code, start, 0);
            int at = -1;
            for (int i = 0; i < decoded.size(); i++) {
                if (decoded.get(i).address() == pc) {
                    at = i;
                }
            }
            if (at < 0) {
                decoded = disassembler.disassemble(readCode(pc, 64), pc, 5);
                at = 0;
            }
            for (int i = Math.max(0, at - 4); i < Math.min(decoded.size(), at + 5); i++) {
                Instruction insn = decoded.get(i);
                lines.add((insn.address() == pc ? "=> " : "   ") + "0x" + Long.toHexString(insn.address()) + " <"
                        + symbolizer.describe(insn.address()) + ">: " + insn.text());
            }
        } catch (RuntimeException unreadable) {
            lines.add("(no code at 0x" + Long.toHexString(pc) + ": " + image.describe(pc) + ")");
        }
        return lines;
    }

    /** Where to start decoding so that pc falls on an instruction boundary: its function's start, if near. */
    private long functionStart(long pc) {
        long start = symbolizer.functionStart(pc).orElse(pc);
        return pc - start < 512 ? start : pc;
    }

    /** Reads code for disassembly, stopping at the end of readable memory. */
    private byte[] readCode(long address, int length) {
        for (int n = length; n > 0; n -= 16) {
            try {
                return image.read(address, n);
            } catch (RuntimeException pastTheEnd) {
                // try a shorter read
            }
        }
        return image.read(address, 1);
    }

    public void close() {
        watchdog.close();
        disassembler.close();
    }
}
