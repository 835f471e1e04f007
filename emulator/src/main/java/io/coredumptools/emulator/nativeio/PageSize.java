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

    public static boolean isAligned(long value) {
        return (value & (BYTES - 1)) == 0;
    }
}
