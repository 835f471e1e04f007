package io.coredumptools.emulator;

import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.emulator.memory.MemoryLimits;

/**
 * How to open a core for calls.
 *
 * @param core       where the files the core refers to are
 * @param lockBypass let calls take locks that other threads held at crash time (see {@code glibc-patches})
 * @param budget     when a call counts as runaway
 * @param keepState  chain calls on changed state instead of starting each from the crash image
 * @param flushStdio after each call, flush stdio buffers so that printf/puts output is captured
 * @param limits     what one engine may hold (calls' memory, snapshots, allocations, base writes)
 */
public record EmulatorOptions(
        CoreOptions core,
        boolean lockBypass,
        CallBudget budget,
        boolean keepState,
        boolean flushStdio,
        MemoryLimits limits) {

    /** The options with the default {@link MemoryLimits}. */
    public EmulatorOptions(
            CoreOptions core, boolean lockBypass, CallBudget budget, boolean keepState, boolean flushStdio) {
        this(core, lockBypass, budget, keepState, flushStdio, MemoryLimits.defaults());
    }

    public static EmulatorOptions defaults() {
        return new EmulatorOptions(CoreOptions.defaults(), true, CallBudget.DEFAULT, false, true);
    }

    public EmulatorOptions withCore(CoreOptions options) {
        return new EmulatorOptions(options, lockBypass, budget, keepState, flushStdio, limits);
    }

    public EmulatorOptions withLockBypass(boolean bypass) {
        return new EmulatorOptions(core, bypass, budget, keepState, flushStdio, limits);
    }

    public EmulatorOptions withBudget(CallBudget callBudget) {
        return new EmulatorOptions(core, lockBypass, callBudget, keepState, flushStdio, limits);
    }

    public EmulatorOptions withKeepState(boolean keep) {
        return new EmulatorOptions(core, lockBypass, budget, keep, flushStdio, limits);
    }

    public EmulatorOptions withFlushStdio(boolean flush) {
        return new EmulatorOptions(core, lockBypass, budget, keepState, flush, limits);
    }

    public EmulatorOptions withLimits(MemoryLimits memoryLimits) {
        return new EmulatorOptions(core, lockBypass, budget, keepState, flushStdio, memoryLimits);
    }
}
