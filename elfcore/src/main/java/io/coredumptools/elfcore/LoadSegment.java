package io.coredumptools.elfcore;

/**
 * A PT_LOAD segment of the core: process memory [vaddr, vaddr+memorySize), of which the first
 * {@code fileSize} bytes were dumped at {@code offset}; {@code presentBytes} of those are actually in the
 * file (fewer when the core is truncated).
 */
public record LoadSegment(
        long vaddr, long memorySize, long offset, long fileSize, long presentBytes, String permissions) {
    public long end() {
        return vaddr + memorySize;
    }

    public boolean isTruncated() {
        return presentBytes < fileSize;
    }

    public long missingBytes() {
        return fileSize - presentBytes;
    }
}
