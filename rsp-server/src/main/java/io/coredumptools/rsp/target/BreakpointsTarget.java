package io.coredumptools.rsp.target;

import io.coredumptools.emulator.debug.Watchpoint;

/** Breakpoints and watchpoints, at most {@link #limit()} of them together. */
public interface BreakpointsTarget {
    enum Kind {
        SOFTWARE,
        HARDWARE
    }

    /** Fails with {@link LimitReachedException} when {@link #limit()} are set. */
    void insertBreakpoint(long address, Kind kind);

    void removeBreakpoint(long address);

    /** Fails with {@link LimitReachedException} when {@link #limit()} are set. */
    void insertWatchpoint(long address, int length, Watchpoint.Kind kind);

    void removeWatchpoint(long address, int length, Watchpoint.Kind kind);

    /** How many breakpoints and watchpoints one session may have. */
    int limit();
}
