package io.coredumptools.rsp.inferior;

import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.rsp.target.RegistersTarget;

/** Each thread's register file, starting at the core's; a write marks the thread as set up for a call. */
final class EmulatedRegisters implements RegistersTarget {
    private final ThreadStates states;
    private final ImageRestorer restorer;

    EmulatedRegisters(ThreadStates states, ImageRestorer restorer) {
        this.states = states;
        this.restorer = restorer;
    }

    @Override
    public RegisterFile of(int thread) {
        return states.registers[thread];
    }

    @Override
    public void written(int thread) {
        states.setUpThread = thread;
        restorer.registersWritten();
    }
}
