package io.coredumptools.elfcore;

/** One entry of the core's NT_FILE note: a file mapped at [start, end) from byte {@code fileOffset} of {@code path}. */
public record FileMapping(long start, long end, long fileOffset, String path) {
    public long size() {
        return end - start;
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
    }
}
