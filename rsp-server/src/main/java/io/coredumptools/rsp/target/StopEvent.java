package io.coredumptools.rsp.target;

/**
 * Why the target stopped, as the protocol reports it.
 *
 * @param thread      index of the thread that stopped
 * @param signal      the signal a live process would report
 * @param reason      a breakpoint or watchpoint, for {@code swbreak:}/{@code watch:} stop reasons
 * @param dataAddress the watched address for watchpoint stops
 * @param output      what the code wrote to fd 1 and 2 (sent as O packets before the stop)
 * @param message     a line for gdb's console (why an emulated call could not go on), or empty
 */
public record StopEvent(int thread, int signal, Reason reason, long dataAddress, byte[] output, String message) {
    public enum Reason {
        SIGNAL,
        SWBREAK,
        HWBREAK,
        WATCH,
        RWATCH,
        AWATCH
    }
}
