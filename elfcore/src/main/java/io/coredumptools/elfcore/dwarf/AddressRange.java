package io.coredumptools.elfcore.dwarf;

/** Code addresses {@code [start, end)} as the file links them (before any load bias). */
public record AddressRange(long start, long end) {

    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
    }

    public long size() {
        return end - start;
    }

    @Override
    public String toString() {
        return "[0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end) + ")";
    }
}
