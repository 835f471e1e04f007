package io.coredumptools.testkit;

/**
 * The signal a fixture's core is taken at: its name as gdb prints it ("SIGBUS", "SIG36") and its Linux number, from
 * which a kernel crash's exit status follows (128 + number, as the JDK reports a process killed by a signal).
 */
public record CoreSignal(String gdbName, int linuxNumber) {
    /** abort(): what most fixtures die of. */
    public static final CoreSignal SIGABRT = new CoreSignal("SIGABRT", 6);

    public static final CoreSignal SIGILL = new CoreSignal("SIGILL", 4);
    public static final CoreSignal SIGBUS = new CoreSignal("SIGBUS", 7);
    public static final CoreSignal SIGUSR1 = new CoreSignal("SIGUSR1", 10);
    public static final CoreSignal SIGSTOP = new CoreSignal("SIGSTOP", 19);
    public static final CoreSignal SIGSYS = new CoreSignal("SIGSYS", 31);
    /** glibc's SIGRTMIN + 2 (glibc keeps 32 and 33 for itself); gdb names real-time signals by number. */
    public static final CoreSignal SIGRTMIN_PLUS_2 = new CoreSignal("SIG36", 36);

    /** The exit status of a process the signal killed, as the JDK reports it. */
    int exitCodeWhenKilled() {
        return 128 + linuxNumber;
    }
}
