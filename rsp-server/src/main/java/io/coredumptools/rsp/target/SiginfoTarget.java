package io.coredumptools.rsp.target;

/**
 * Each thread's {@code siginfo_t} (128 bytes): the crash's for the crashing thread, a fault's after a faulting
 * call. gdb reads it before each inferior call and writes it back after: the brackets of its calls.
 */
public interface SiginfoTarget {
    /** The client reads it ({@code $_siginfo}, or saving it before a call: a full read from offset 0). */
    byte[] read(int thread, long offset);

    /** The client writes it (restoring it after a call, when {@code offset} is 0). */
    void write(int thread, long offset, byte[] data);

    /** The siginfo as it stands, with no call bookkeeping. */
    byte[] of(int thread);
}
