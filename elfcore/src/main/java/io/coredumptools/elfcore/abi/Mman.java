package io.coredumptools.elfcore.abi;

/** Memory-mapping constants of x86-64 Linux (asm-generic/mman-common.h, linux/mman.h). */
public final class Mman {
    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MAP_FIXED_NOREPLACE = 0x100000;

    public static final int MREMAP_MAYMOVE = 1;
    public static final int MREMAP_FIXED = 2;
    public static final int MREMAP_DONTUNMAP = 4;

    public static final int MADV_DONTNEED = 4;
    public static final int MADV_FREE = 8;

    private Mman() {}
}
