package io.coredumptools.emulator.memory;

/** How a region of the image behaves when memory is restored to the base. */
public enum RegionLifetime {
    /** Part of the base image (the core's memory, the call stack): restores revert its contents. */
    BASE,
    /** Created during a call (emulated mmap, brk growth): restoring the base unmaps it. */
    SINCE_BASE,
    /**
     * Owned by the debugger side, not the crashed process (scratch memory for arguments, lldb's {@code _M}
     * allocations for its JIT code): restores neither revert nor unmap it; only its owner unmaps it.
     */
    PERSISTENT
}
