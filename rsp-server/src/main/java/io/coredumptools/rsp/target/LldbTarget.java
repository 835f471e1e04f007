package io.coredumptools.rsp.target;

import io.coredumptools.elfcore.ProcessInfo;

/** What lldb asks beyond gdb's protocol: memory regions, allocations, register-state saves, process info. */
public interface LldbTarget {
    /** A mapped range with its permissions ("rwx" letters, "" for a gap) and the file or [name] there. */
    record MemoryRegion(long start, long end, String permissions, String name) {
        public boolean mapped() {
            return !permissions.isEmpty();
        }
    }

    /** The region holding {@code address}, or the unmapped gap around it. */
    MemoryRegion memoryRegion(long address);

    /** Whether {@code _M}/{@code _m} are answered (off: lldb has the process mmap its memory). */
    boolean allocationAllowed();

    /** {@code _M}: memory for the debugger outside every core mapping, kept across restores. */
    long allocate(long size, int permissions);

    boolean deallocate(long address);

    /** QSaveRegisterState: remembers a thread's state; the id (from 1). lldb brackets each call with these. */
    int saveRegisterState(int thread);

    /** QRestoreRegisterState: puts a saved state back; false for an unknown id. */
    boolean restoreRegisterState(int id);

    /** Where the pointer to the dynamic linker's r_debug lives (qShlibInfoAddr), or 0. */
    long debugPointerAddress();

    ProcessInfo process();
}
