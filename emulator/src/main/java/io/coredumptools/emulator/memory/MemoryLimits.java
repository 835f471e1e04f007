package io.coredumptools.emulator.memory;

/**
 * What one engine may hold, so that no debugger session or call can take the host's memory. Each is refused with
 * a {@link ResourceLimitException}, or for a call's own requests answered as Linux answers an exhausted address
 * space (ENOMEM).
 *
 * @param callMemoryBytes   address space the calls' mmap, mremap and brk may have mapped at once: the bound on the
 *                          pages calls can dirty beyond the core's own writable memory; a larger request fails with
 *                          ENOMEM in the call (a 1 TiB malloc returns NULL)
 * @param debuggerAllocationBytes memory the debugger may allocate for itself (lldb's {@code _M})
 * @param baseWriteBytes    bytes of pages the debugger's writes outside calls may change in the base
 * @param snapshots         named snapshots held at once
 * @param snapshotBytes     page copies all named snapshots may hold together
 */
public record MemoryLimits(
        long callMemoryBytes, long debuggerAllocationBytes, long baseWriteBytes, int snapshots, long snapshotBytes) {
    public MemoryLimits {
        if (callMemoryBytes < 0
                || debuggerAllocationBytes < 0
                || baseWriteBytes < 0
                || snapshots < 0
                || snapshotBytes < 0) {
            throw new IllegalArgumentException("limits cannot be negative");
        }
    }

    public static MemoryLimits defaults() {
        return new MemoryLimits(8L << 30, 1L << 30, 64L << 20, 64, 1L << 30);
    }
}
