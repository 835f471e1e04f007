package io.coredumptools.elfcore.abi;

/**
 * Linux x86-64 signal numbers, their names, and the numbering gdb's remote protocol uses for them.
 *
 * <p>The core, siginfo and lldb speak Linux numbers. gdb's protocol (stop replies {@code T}/{@code S}/{@code X},
 * {@code vCont;C}, {@code QPassSignals}) numbers signals its own way (GDB_SIGNAL_*, include/gdb/signals.def in
 * binutils-gdb), which agrees with Linux only for some: Linux SIGBUS 7 is gdb's 10, SIGUSR1 10 is 30, SIGSYS 31
 * is 12, SIGSTOP 19 is 17, and the real-time signals have ranges of their own. {@link #toGdb} and
 * {@link #fromGdb} are the one translation between the two.
 */
public final class Signals {
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGILL = 4;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
    public static final int SIGBUS = 7;
    public static final int SIGFPE = 8;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGSTKFLT = 16;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGTSTP = 20;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;
    public static final int SIGURG = 23;
    public static final int SIGXCPU = 24;
    public static final int SIGXFSZ = 25;
    public static final int SIGVTALRM = 26;
    public static final int SIGPROF = 27;
    public static final int SIGWINCH = 28;
    public static final int SIGIO = 29;
    public static final int SIGPWR = 30;
    public static final int SIGSYS = 31;
    /** The kernel's first real-time signal (glibc reserves 32 and 33; its SIGRTMIN is 34). */
    public static final int SIGRT_FIRST = 32;

    public static final int SIGRT_LAST = 64;

    /** gdb's number for a signal it has no name for (GDB_SIGNAL_UNKNOWN). */
    public static final int GDB_SIGNAL_UNKNOWN = 143;

    private static final String[] NAMES = {
        null,
        "SIGHUP",
        "SIGINT",
        "SIGQUIT",
        "SIGILL",
        "SIGTRAP",
        "SIGABRT",
        "SIGBUS",
        "SIGFPE",
        "SIGKILL",
        "SIGUSR1",
        "SIGSEGV",
        "SIGUSR2",
        "SIGPIPE",
        "SIGALRM",
        "SIGTERM",
        "SIGSTKFLT",
        "SIGCHLD",
        "SIGCONT",
        "SIGSTOP",
        "SIGTSTP",
        "SIGTTIN",
        "SIGTTOU",
        "SIGURG",
        "SIGXCPU",
        "SIGXFSZ",
        "SIGVTALRM",
        "SIGPROF",
        "SIGWINCH",
        "SIGIO",
        "SIGPWR",
        "SIGSYS"
    };

    /** gdb's number for Linux signals 0..31, from signals.def (SIGSTKFLT has no gdb name). */
    private static final int[] GDB_NUMBERS = {
        0,
        1,
        2,
        3,
        4,
        5,
        6,
        10,
        8,
        9,
        30,
        11,
        31,
        13,
        14,
        15,
        GDB_SIGNAL_UNKNOWN,
        20,
        19,
        17,
        18,
        21,
        22,
        16,
        24,
        25,
        26,
        27,
        28,
        23,
        32,
        12
    };

    /** gdb's GDB_SIGNAL_REALTIME_33 .. _63 are 45 .. 75. */
    private static final int GDB_REALTIME_33 = 45;

    private static final int GDB_REALTIME_32 = 77;
    private static final int GDB_REALTIME_64 = 78;

    private Signals() {}

    /** The Linux name ({@code SIGSEGV}, {@code SIGRTMIN+3} for glibc's real-time range), or "signal N". */
    public static String name(int signo) {
        if (signo > 0 && signo < NAMES.length) {
            return NAMES[signo];
        }
        return signo >= 34 && signo <= SIGRT_LAST ? "SIGRTMIN+" + (signo - 34) : "signal " + signo;
    }

    /** gdb's protocol number for a Linux signal ({@link #GDB_SIGNAL_UNKNOWN} for one it has none for). */
    public static int toGdb(int linux) {
        if (linux >= 0 && linux < GDB_NUMBERS.length) {
            return GDB_NUMBERS[linux];
        }
        if (linux == SIGRT_FIRST) {
            return GDB_REALTIME_32;
        }
        if (linux > SIGRT_FIRST && linux < SIGRT_LAST) {
            return GDB_REALTIME_33 + (linux - 33);
        }
        if (linux == SIGRT_LAST) {
            return GDB_REALTIME_64;
        }
        return GDB_SIGNAL_UNKNOWN;
    }

    /** The Linux signal for gdb's protocol number, or -1 when Linux has none. */
    public static int fromGdb(int gdb) {
        for (int linux = 0; linux < GDB_NUMBERS.length; linux++) {
            if (GDB_NUMBERS[linux] == gdb && gdb != GDB_SIGNAL_UNKNOWN) {
                return linux;
            }
        }
        if (gdb == GDB_REALTIME_32) {
            return SIGRT_FIRST;
        }
        if (gdb >= GDB_REALTIME_33 && gdb <= GDB_REALTIME_33 + 30) {
            return 33 + (gdb - GDB_REALTIME_33);
        }
        if (gdb == GDB_REALTIME_64) {
            return SIGRT_LAST;
        }
        return -1;
    }
}
