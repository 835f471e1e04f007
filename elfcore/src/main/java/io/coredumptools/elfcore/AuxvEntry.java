package io.coredumptools.elfcore;

/** One auxiliary vector entry from NT_AUXV. */
public record AuxvEntry(long type, long value) {
    public static final long AT_NULL = 0;
    public static final long AT_PHDR = 3;
    public static final long AT_PHENT = 4;
    public static final long AT_PHNUM = 5;
    public static final long AT_PAGESZ = 6;
    public static final long AT_BASE = 7;
    public static final long AT_ENTRY = 9;
    public static final long AT_HWCAP = 16;
    public static final long AT_RANDOM = 25;
    public static final long AT_EXECFN = 31;
    public static final long AT_SYSINFO_EHDR = 33;
}
