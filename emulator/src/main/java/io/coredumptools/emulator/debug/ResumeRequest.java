package io.coredumptools.emulator.debug;

import io.coredumptools.emulator.CallBudget;
import java.util.List;
import java.util.Set;

/**
 * How to resume a thread: one instruction or until an event, with the debugger's breakpoints (code addresses;
 * nothing is written into memory) and watchpoints, under a budget.
 */
public record ResumeRequest(
        boolean singleStep, Set<Long> breakpoints, List<Watchpoint> watchpoints, CallBudget budget) {
    public ResumeRequest {
        breakpoints = Set.copyOf(breakpoints);
        watchpoints = List.copyOf(watchpoints);
    }
}
