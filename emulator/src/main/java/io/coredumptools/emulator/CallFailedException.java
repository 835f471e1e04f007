package io.coredumptools.emulator;

/** A call ended in a fault instead of returning; {@link #fault()} has the full report. */
public class CallFailedException extends Exception {
    private final transient EmulationFault fault;

    public CallFailedException(EmulationFault fault) {
        super(fault.headline());
        this.fault = fault;
    }

    public EmulationFault fault() {
        return fault;
    }
}
