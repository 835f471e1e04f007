package io.coredumptools.emulator.run;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.debug.Watchpoint;
import java.util.List;
import java.util.Set;

/**
 * One run of the engine: from {@code pc} until {@code until} is reached (a call's return address; {@link
 * Runner#NO_END} for a debugger resume), one instruction ({@code singleStep}), a breakpoint, a watchpoint, a
 * fault or the budget. A run that starts on one of its breakpoints passes it, as a debugger resuming from a
 * breakpoint expects.
 */
public record RunRequest(
        long pc,
        long until,
        CallBudget budget,
        boolean singleStep,
        Set<Long> breakpoints,
        List<Watchpoint> watchpoints) {
    public RunRequest {
        breakpoints = Set.copyOf(breakpoints);
        watchpoints = List.copyOf(watchpoints);
    }

    /** A function call: from its entry until it returns to {@code returnAddress}. */
    public static RunRequest call(long entry, long returnAddress, CallBudget budget) {
        return new RunRequest(entry, returnAddress, budget, false, Set.of(), List.of());
    }
}
