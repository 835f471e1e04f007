package io.coredumptools.emulator.run;

import io.coredumptools.emulator.debug.Watchpoint;
import io.coredumptools.emulator.syscall.SyscallStop;
import io.coredumptools.emulator.unicorn.MemoryAccessType;
import java.util.Optional;

/**
 * How a run ended, as a value. {@code pc} is exact for every cause: the faulting instruction for a memory
 * fault, a CPU exception or an invalid instruction (the target for a fetch fault); the next instruction to run
 * for a step, a watchpoint (the access has completed, as with a hardware watchpoint), a budget, an interrupt or a
 * stopping system call (after the {@code syscall} instruction); the breakpoint's address for a breakpoint; and
 * after an int3 the byte after it, as the kernel reports it. The engine's registers are consistent with it.
 *
 * @param dataAddress the faulting or watched data address; the stop address for a syscall stop; else 0
 * @param accessType  the kind of a memory fault or watched access
 * @param interrupt   the CPU exception number for {@link Cause#CPU_EXCEPTION}, else -1
 * @param failure     what went wrong for {@link Cause#ERROR} (a hook threw, or unicorn failed)
 * @param nanos       how long the run took
 */
public record RunResult(
        Cause cause,
        long pc,
        long dataAddress,
        Optional<MemoryAccessType> accessType,
        int interrupt,
        Optional<SyscallStop> syscallStop,
        Optional<Watchpoint> watchpoint,
        Optional<String> failure,
        long nanos) {

    public enum Cause {
        /** Reached the run's end address (a call returned). */
        RETURNED,
        /** The one instruction of a single step ran. */
        STEPPED,
        BREAKPOINT,
        WATCHPOINT,
        MEMORY_FAULT,
        /** A CPU exception: 0 divide error, 3 int3, 13 general protection (hlt and the like in user mode). */
        CPU_EXCEPTION,
        /** An instruction unicorn cannot execute (ud2, AVX, xsave and the like). */
        INVALID_INSTRUCTION,
        /** An emulated system call stopped the run (unsupported call, a signal raised, a hopeless lock wait). */
        SYSCALL_STOP,
        INSTRUCTION_BUDGET,
        TIME_BUDGET,
        INTERRUPTED,
        ERROR
    }

    static RunResult of(Cause cause, long pc, long nanos) {
        return new RunResult(
                cause, pc, 0, Optional.empty(), -1, Optional.empty(), Optional.empty(), Optional.empty(), nanos);
    }

    /** A stop a debugger shows as SIGTRAP: breakpoint, step or watchpoint. */
    public boolean isTrap() {
        return cause == Cause.BREAKPOINT || cause == Cause.STEPPED || cause == Cause.WATCHPOINT;
    }
}
