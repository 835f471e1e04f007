package io.coredumptools.emulator.call;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.GeneralRegisters;
import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.elfcore.UnusableCoreException;
import io.coredumptools.elfcore.abi.Signals;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.dwarf.RegisterPiece;
import io.coredumptools.elfcore.dwarf.ReturnLocation;
import io.coredumptools.elfcore.dwarf.SysVRegister;
import io.coredumptools.emulator.Argument;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.CallResult;
import io.coredumptools.emulator.EmulationFault;
import io.coredumptools.emulator.FaultKind;
import io.coredumptools.emulator.StackFrame;
import io.coredumptools.emulator.debug.EngineRegisters;
import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.emulator.debug.ResumeRequest;
import io.coredumptools.emulator.debug.Stop;
import io.coredumptools.emulator.disasm.Disassembler;
import io.coredumptools.emulator.disasm.Instruction;
import io.coredumptools.emulator.memory.MemoryImage;
import io.coredumptools.emulator.run.RunRequest;
import io.coredumptools.emulator.run.RunResult;
import io.coredumptools.emulator.run.Runner;
import io.coredumptools.emulator.syscall.SyscallEmulator;
import io.coredumptools.emulator.unicorn.HookHandle;
import io.coredumptools.emulator.unicorn.MemoryAccessType;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.emulator.unicorn.RegisterBatch;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.UnicornContext;
import io.coredumptools.emulator.unicorn.X86Register;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calls a function of the core on a thread's registers until it returns to a sentinel address, and resumes a
 * thread as a debugger asks, both through the engine's one {@link Runner}; turns every way a run can stop early
 * into an {@link EmulationFault} (calls) or a {@link Stop} (resumes).
 */
public final class CallEngine {
    /** The call stack: big enough for printf and friends, mapped lazily so its size costs nothing. */
    private static final long STACK_SIZE = 8L << 20;
    /** Below the top: room the ABI lets callees use above their frame is not needed, but keep clear of the edge. */
    private static final long STACK_TOP_GAP = 256;

    private static final byte INT3 = (byte) 0xCC;
    private static final int INT3_LENGTH = 1;

    private final Unicorn uc;
    private final MemoryImage image;
    private final Symbolizer symbolizer;
    private final SyscallEmulator syscalls;
    private final Disassembler disassembler;
    private final Backtracer backtracer;
    private final Runner runner;
    private final EngineRegisters engineRegisters;
    private final long stackTop;
    private final long sentinel;
    private InstructionTrace trace;
    private HookHandle traceHook;
    /** Each thread's registers at a call's start as a saved unicorn context: one native call loads them. */
    private final Map<ThreadState, ThreadStart> threadStarts = new IdentityHashMap<>();

    private record ThreadStart(RegisterFile registers, UnicornContext context) {}
    /** The thread a call runs on, for fault reports (selectors and what the engine does not model). */
    private RegisterFile callThread;

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
    /** Every register a result comes back in; {@link #RESULT_REGISTERS} gives each one's index. */
    private final RegisterBatch resultRegisters = new RegisterBatch(List.of(
            X86Register.RAX, X86Register.RDX, X86Register.XMM0, X86Register.XMM1, X86Register.ST0, X86Register.ST1));

    private static final Map<SysVRegister, Integer> RESULT_REGISTERS = Map.of(
            SysVRegister.RAX, 0,
            SysVRegister.RDX, 1,
            SysVRegister.XMM0, 2,
            SysVRegister.XMM1, 3,
            SysVRegister.ST0, 4,
            SysVRegister.ST1, 5);

    /** Room for what every call needs; a core whose mappings leave none is a core code cannot run on. */
    private static long freeRangeFor(MemoryImage image, long size, String what) {
        try {
            return image.findFreeRange(size);
        } catch (IllegalStateException full) {
            throw new UnusableCoreException(
                    new CoreFormatException(image.corePath(), "no room for " + what + " (" + full.getMessage() + ")"));
        }
    }

    public CallEngine(Unicorn uc, MemoryImage image, SyscallEmulator syscalls, Symbolizer symbolizer) {
        this.uc = uc;
        this.image = image;
        this.symbolizer = symbolizer;
        this.syscalls = syscalls;
        this.disassembler = new Disassembler();
        this.backtracer = new Backtracer(image, symbolizer);
        long stack = freeRangeFor(image, STACK_SIZE, "the calls' stack");
        image.mapBaseAnonymous(stack, STACK_SIZE, MemoryProtection.READ | MemoryProtection.WRITE);
        this.stackTop = stack + STACK_SIZE;
        // The sentinel lies in a page of int3s outside every core mapping: returning there ends the call,
        // and anything else that jumps there stops as a breakpoint rather than running stray bytes.
        long sentinelPage = freeRangeFor(image, 4096, "the calls' return page");
        image.mapBaseAnonymous(sentinelPage, 4096, MemoryProtection.READ | MemoryProtection.EXEC);
        byte[] traps = new byte[4096];
        Arrays.fill(traps, INT3);
        image.writePatch(sentinelPage, traps);
        this.sentinel = sentinelPage + 0x800;
        this.runner = new Runner(uc, syscalls, image::resolveFault);
        this.engineRegisters = new EngineRegisters(uc);
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
        runner.interrupt();
    }

    /**
     * Calls {@code function} with {@code arguments} on {@code thread}'s registers (TLS through its fs_base), for
     * a {@code long} result.
     *
     * @return the result, or the fault that ended the call
     */
    public Outcome call(ThreadState thread, long function, List<Argument> arguments, CallBudget budget) {
        return call(thread, function, Argument.LONG, arguments, budget);
    }

    /**
     * Calls {@code function} with {@code arguments}, reading the result as {@code returnType} says (rax, rdx,
     * xmm0, xmm1, st0, st1, or the buffer the call was given for a result in memory).
     *
     * @throws IllegalArgumentException when a type cannot be passed by value (see {@link ArgumentPlacement#of})
     */
    public Outcome call(
            ThreadState thread, long function, CType returnType, List<Argument> arguments, CallBudget budget) {
        ArgumentPlacement placement = ArgumentPlacement.of(returnType, arguments);
        RegisterFile registers = loadThread(thread);
        long resultBytes = placement.result().inMemory() ? returnType.byteSize() : 0;
        Frame frame = pushFrame(placement.stack(), resultBytes);
        long[] unused = {
            registers.general[5],
            registers.general[4],
            registers.general[3],
            registers.general[2],
            registers.general[8],
            registers.general[9]
        };
        for (int i = 0; i < 6; i++) {
            argumentValues[i] = placement.integerRegister(i).orElse(unused[i]);
        }
        if (placement.result().inMemory()) {
            // The hidden first argument: where the callee writes the result.
            argumentValues[0] = frame.resultBuffer();
        }
        // For variadic callees (printf): AL holds how many vector registers carry arguments.
        argumentValues[6] = placement.vectorRegisters();
        argumentValues[7] = frame.sp();
        uc.writeRegisters(argumentRegisters, argumentValues);
        for (int i = 0; i < 8; i++) {
            byte[] xmm = placement.vectorRegister(i);
            if (xmm != null) {
                uc.writeWideRegister(X86Register.xmm(i), xmm);
            }
        }
        callThread = registers;
        long executedBefore = trace == null ? 0 : trace.executed();
        RunResult run = runner.run(RunRequest.call(function, sentinel, budget));
        if (run.cause() == RunResult.Cause.RETURNED) {
            uc.readRegisters(resultRegisters);
            long rax = resultRegisters.getLong(0);
            double xmm0 = Double.longBitsToDouble(LittleEndian.i64(resultRegisters.getBytes(2), 0));
            byte[] value = resultValue(placement.result(), frame);
            long executed = trace == null ? -1 : trace.executed() - executedBefore;
            return Outcome.returned(new CallResult(rax, xmm0, syscallsOutput(), executed, run.nanos(), value));
        }
        return Outcome.faulted(describeFault(run, registersAtStop(callThread), budget, true));
    }

    /** The result's bytes, gathered from the registers {@link #resultRegisters} read, or from its buffer. */
    private byte[] resultValue(ReturnLocation location, Frame frame) {
        if (location.inMemory()) {
            return image.read(
                    frame.resultBuffer(), Math.toIntExact(location.type().byteSize()));
        }
        byte[] value = new byte[Math.toIntExact(location.type().byteSize())];
        for (RegisterPiece piece : location.registers()) {
            byte[] register = resultRegisters.getBytes(RESULT_REGISTERS.get(piece.register()));
            int size = (int) Math.min(piece.size(), value.length - piece.valueOffset());
            System.arraycopy(register, piece.registerOffset(), value, (int) piece.valueOffset(), size);
        }
        return value;
    }

    private byte[] syscallsOutput() {
        return syscalls.takeOutput();
    }

    /** The thread's registers from the core at a call's start, through a context saved the first time. */
    private RegisterFile loadThread(ThreadState thread) {
        ThreadStart start = threadStarts.get(thread);
        if (start == null) {
            RegisterFile registers = RegisterFile.of(thread).forCall();
            engineRegisters.load(registers);
            start = new ThreadStart(registers, uc.saveContext());
            threadStarts.put(thread, start);
        } else {
            uc.restoreContext(start.context());
        }
        return start.registers();
    }

    /** The engine's registers, over what {@code base} has that the engine does not model. */
    private RegisterFile registersAtStop(RegisterFile base) {
        RegisterFile r = base == null ? new RegisterFile() : base.copy();
        engineRegisters.store(r);
        return r;
    }

    /**
     * Resumes a thread as a debugger does: from {@code registers} (updated in place to the state at the stop)
     * for one instruction or until a breakpoint, watchpoint, fault or the budget. Breakpoints are hooks:
     * nothing is written into the image. The stop's pc is exact (see {@link RunResult}).
     */
    public Stop resume(RegisterFile registers, ResumeRequest request) {
        engineRegisters.load(registers);
        RunResult run = runner.run(new RunRequest(
                registers.rip,
                Runner.NO_END,
                request.budget(),
                request.singleStep(),
                request.breakpoints(),
                request.watchpoints()));
        engineRegisters.store(registers);
        byte[] output = syscallsOutput();
        return switch (run.cause()) {
            case BREAKPOINT -> trap(Stop.Kind.BREAKPOINT, run.pc(), -1, output);
            case STEPPED -> trap(Stop.Kind.STEP, run.pc(), -1, output);
            case WATCHPOINT -> trap(Stop.Kind.WATCHPOINT, run.pc(), run.dataAddress(), output);
            default -> {
                // A debugger shows its own backtrace and disassembly; building them here (Capstone through JNA)
                // cost more than the rest of a resume, and gdb's every call ends in such a stop (its dummy).
                EmulationFault fault = describeFault(run, registers, request.budget(), false);
                yield new Stop(
                        Stop.Kind.SIGNAL, fault.signal(), registers.rip, fault.address(), Optional.of(fault), output);
            }
        };
    }

    private static Stop trap(Stop.Kind kind, long pc, long data, byte[] output) {
        return new Stop(kind, Signals.SIGTRAP, pc, data, Optional.empty(), output);
    }

    /** Where a call's frame is: rsp at the callee's entry, and the buffer for a result in memory (or 0). */
    private record Frame(long sp, long resultBuffer) {}

    /**
     * Writes the frame of a call below the call stack's top: the buffer for a result returned in memory (16-byte
     * aligned), then the stack arguments (starting 16-byte aligned, as the ABI requires at the call instruction),
     * then the sentinel return address.
     */
    private Frame pushFrame(byte[] stackArguments, long resultBytes) {
        long top = (stackTop - STACK_TOP_GAP) & ~0xfL;
        long resultBuffer = 0;
        if (resultBytes > 0) {
            resultBuffer = (top - resultBytes) & ~0xfL;
            top = resultBuffer;
        }
        long arguments = (top - stackArguments.length) & ~0xfL;
        long sp = arguments - 8;
        image.write(sp, LittleEndian.ofLong(sentinel));
        if (stackArguments.length > 0) {
            image.write(arguments, stackArguments);
        }
        return new Frame(sp, resultBuffer);
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

    /**
     * @param registers the registers at the stop
     * @param detailed  with a scanned backtrace and the disassembly around pc; else only pc's frame
     */
    private EmulationFault describeFault(RunResult run, RegisterFile registers, CallBudget budget, boolean detailed) {
        FaultKind kind;
        int signal = -1;
        long pc = run.pc();
        long address = pc;
        String detail = "";
        long millis = run.nanos() / 1_000_000;
        switch (run.cause()) {
            case SYSCALL_STOP -> {
                kind = run.syscallStop().orElseThrow().kind();
                address = run.dataAddress();
                if (kind == FaultKind.SIGNAL_RAISED) {
                    signal = (int) run.dataAddress();
                    address = pc;
                }
                detail = run.syscallStop().orElseThrow().detail();
            }
            case MEMORY_FAULT -> {
                kind = memoryKind(run.accessType().orElseThrow());
                address = run.dataAddress();
                detail = image.describe(address);
            }
            case CPU_EXCEPTION -> {
                kind = switch (run.interrupt()) {
                    case 0 -> FaultKind.DIVIDE_ERROR;
                    case 3 -> FaultKind.BREAKPOINT;
                    case 6 -> FaultKind.INVALID_INSTRUCTION;
                    default -> FaultKind.PROTECTED_READ;
                };
                if (kind == FaultKind.BREAKPOINT) {
                    // int3 has executed: the thread's pc is past it (as the kernel reports it), the trap is the
                    // byte before.
                    pc -= INT3_LENGTH;
                    address = pc;
                }
                detail = "CPU exception " + run.interrupt()
                        + (run.interrupt() == 13 ? " (general protection: a privileged instruction)" : "");
            }
            case INVALID_INSTRUCTION -> {
                kind = FaultKind.INVALID_INSTRUCTION;
                detail = isUd2(pc)
                        ? "ud2 at pc: the program's own trap (__builtin_trap), invalid on the live CPU too"
                        : "unicorn cannot execute the instruction at pc"
                                + " (AVX and xsave-family instructions are not supported)";
            }
            case INTERRUPTED -> {
                kind = FaultKind.INTERRUPTED;
                detail = "the call was interrupted after " + millis + " ms";
            }
            case TIME_BUDGET, INSTRUCTION_BUDGET -> {
                kind = FaultKind.BUDGET_EXHAUSTED;
                detail = "the call ran for " + millis + " ms without returning (budget "
                        + (budget.instructions() > 0 ? budget.instructions() + " instructions, " : "")
                        + budget.time().toMillis() + " ms"
                        + (run.cause() == RunResult.Cause.INSTRUCTION_BUDGET
                                ? "; the instruction budget ran out)"
                                : "; the time budget ran out)");
            }
            case ERROR -> {
                kind = FaultKind.INVALID_INSTRUCTION;
                detail = run.failure().orElse("");
            }
            default -> throw new IllegalStateException("not a fault: " + run.cause());
        }
        RegisterFile atFault = registers.copy();
        atFault.rip = pc;
        GeneralRegisters general = atFault.toGeneralRegisters();
        if (signal <= 0 || signal > Signals.SIGRT_LAST) {
            signal = kind.signal();
        }
        if (!detailed) {
            return new EmulationFault(
                    kind,
                    address,
                    pc,
                    general,
                    List.of(new StackFrame(0, pc, symbolizer.describe(pc))),
                    List.of(),
                    detail,
                    signal);
        }
        List<StackFrame> backtrace = backtracer.backtrace(pc, registers.rsp(), stackTop, sentinel);
        return new EmulationFault(kind, address, pc, general, backtrace, disassemblyAround(pc), detail, signal);
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
        return Long.compareUnsigned(pc - start, 512) < 0 ? start : pc;
    }

    /** Whether the instruction at {@code pc} is ud2 (0f 0b), which no CPU executes: not an emulator limit. */
    private boolean isUd2(long pc) {
        try {
            byte[] code = image.read(pc, 2);
            return code.length == 2 && code[0] == 0x0f && code[1] == 0x0b;
        } catch (RuntimeException unreadable) {
            return false;
        }
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
        runner.close();
        disassembler.close();
    }
}
