package io.coredumptools.emulator.nativeio;

/** x86-64 Linux base pages and unicorn's page size are both 4 KiB; every mapping is aligned to it. */
public final class PageSize {
    public static final long BYTES = 4096;
    public static final int SHIFT = 12;

    private PageSize() {}

    public static long alignDown(long address) {
        return address & -BYTES;
    }

    public static long alignUp(long address) {
        return (address + BYTES - 1) & -BYTES;
    }

    /**
     * How many pages [address, address+length) touches, stopping at the top of the address space: a range that
     * would wrap past 2^64 ends there.
     */
    public static long pagesSpanned(long address, long length) {
        if (length <= 0) {
            return 0;
        }
        long first = alignDown(address);
        long last = Long.compareUnsigned(length - 1, -1L - address) > 0
                ? alignDown(-1L)
                : alignDown(address + (length - 1));
        return ((last - first) >>> SHIFT) + 1;
    }

    /** {@code address + length}, or 0 (2^64) when the range reaches the top of the address space or beyond. */
    public static long endOf(long address, long length) {
        return Long.compareUnsigned(length, -address) >= 0 && address != 0 ? 0 : address + length;
    }

    public static boolean isAligned(long value) {
        return (value & (BYTES - 1)) == 0;
    }
}
