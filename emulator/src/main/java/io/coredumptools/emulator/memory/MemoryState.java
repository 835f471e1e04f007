package io.coredumptools.emulator.memory;

import java.util.List;
import java.util.Map;

/**
 * The memory of a named snapshot as a difference from the base: the regions created since the base,
 * the protection changes, and a copy of every page that differs from the base (found with
 * /proc/self/pagemap, see {@link MemoryImage#capture()}).
 *
 * @param anonymousRegions regions created since the base, as [start, end, perms]
 * @param changedPages     guest page address to its 4 KiB contents
 */
public record MemoryState(
        List<long[]> anonymousRegions, List<ProtectionChange> protectionChanges, Map<Long, byte[]> changedPages) {

    /** Bytes of page copies held. */
    public long copiedBytes() {
        return changedPages.values().stream().mapToLong(p -> p.length).sum();
    }
}
