package io.coredumptools.emulator.debug;

import io.coredumptools.elfcore.abi.Signals;
import io.coredumptools.emulator.EmulationFault;
import java.util.Optional;

/**
 * Why a resumed thread stopped.
 *
 * @param kind        the event
 * @param signal      the signal a live process would report (SIGTRAP for breakpoints, steps and watchpoints)
 * @param pc          where the thread stopped (for a breakpoint: the breakpoint's address)
 * @param dataAddress the watched address that was accessed, or the faulting address
 * @param fault       the report, for a SIGNAL stop
 * @param output      what the code wrote to fd 1 and 2 while running
 */
public record Stop(Kind kind, int signal, long pc, long dataAddress, Optional<EmulationFault> fault, byte[] output) {
    public static final int SIGTRAP = Signals.SIGTRAP;

    public enum Kind {
        BREAKPOINT,
        STEP,
        WATCHPOINT,
        SIGNAL
    }
}
