package io.coredumptools.emulator.memory;

/** Where the bytes of an {@link ImageRegion} come from. */
public enum RegionSource {
    /** The core's own PT_LOAD data, mmap'd from the core file. */
    CORE,
    /** A mapped file (NT_FILE) on this machine, for memory the kernel did not dump (e.g. library text). */
    FILE,
    /**
     * Zero pages standing for a writable file mapping beyond the end of the file found on this machine,
     * where the process could only have seen zeros or its own writes (bss-like).
     */
    ZERO_FILL,
    /** Zero pages created by {@link MemoryImage#mapAnonymous} or {@link MemoryImage#mapBaseAnonymous}. */
    ANONYMOUS
}
