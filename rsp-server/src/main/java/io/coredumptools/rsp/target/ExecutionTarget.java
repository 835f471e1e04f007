package io.coredumptools.rsp.target;

/** Running threads: resume and single-step, the last stop, interrupts, and kill. */
public interface ExecutionTarget {
    /**
     * Which thread a resume runs: the stepping thread; else the one whose registers the client set up since the
     * last stop (a call); else a thread a continue action names; else {@code hcThread} (Hc); else the last
     * stopped one. Negative arguments stand for none.
     */
    int threadToRun(int stepThread, int namedContinueThread, int hcThread);

    /** Runs one thread, one instruction or until an event. */
    StopEvent resume(int thread, boolean step);

    StopEvent lastStop();

    /** Stops a running resume; a resume about to start stops at once. Thread-safe. */
    void interrupt();

    /** Forgets an interrupt that came too late for its resume. */
    void clearInterrupt();

    boolean running();

    /** The process was killed: memory, threads, breakpoints back to the crash state. */
    void kill();
}
