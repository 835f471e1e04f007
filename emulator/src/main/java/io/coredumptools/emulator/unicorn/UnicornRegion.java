package io.coredumptools.emulator.unicorn;

/** A region unicorn has mapped, as {@code uc_mem_regions} lists it; {@code end} is exclusive here. */
public record UnicornRegion(long begin, long end, int perms) {
    public long size() {
        return end - begin;
    }

    @Override
    public String toString() {
        return "[0x" + Long.toHexString(begin) + "-0x" + Long.toHexString(end) + ") " + MemoryProtection.toRwx(perms);
    }
}
