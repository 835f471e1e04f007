package io.coredumptools.elfcore.abi;

/** futex(2) operations (linux/futex.h); the low bits of the op argument, after {@link #CMD_MASK}. */
public final class Futex {
    public static final int WAIT = 0;
    public static final int WAKE = 1;
    public static final int REQUEUE = 3;
    public static final int CMP_REQUEUE = 4;
    public static final int WAKE_OP = 5;
    public static final int LOCK_PI = 6;
    public static final int UNLOCK_PI = 7;
    public static final int TRYLOCK_PI = 8;
    public static final int WAIT_BITSET = 9;
    public static final int WAKE_BITSET = 10;
    public static final int LOCK_PI2 = 13;
    public static final int PRIVATE_FLAG = 0x80;
    public static final int CLOCK_REALTIME_FLAG = 0x100;
    /** Keeps the command: drops FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME. */
    public static final int CMD_MASK = ~(PRIVATE_FLAG | CLOCK_REALTIME_FLAG);

    private Futex() {}

    /** The command of an op argument. */
    public static int command(int op) {
        return op & CMD_MASK;
    }
}
