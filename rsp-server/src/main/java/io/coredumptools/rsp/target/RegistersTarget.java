package io.coredumptools.rsp.target;

import io.coredumptools.emulator.debug.RegisterFile;

/** Each thread's registers: one {@link RegisterFile} per thread, read and changed in place. */
public interface RegistersTarget {
    /** The thread's registers as they stand (mutable: the encoders write into it). */
    RegisterFile of(int thread);

    /** The client changed a thread's registers (gdb sets a thread up for a call this way). */
    void written(int thread);
}
