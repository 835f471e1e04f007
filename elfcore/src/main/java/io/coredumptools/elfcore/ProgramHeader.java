package io.coredumptools.elfcore;

import io.coredumptools.elfcore.abi.ElfTypes;
import java.nio.ByteBuffer;

/** An ELF64 program header (segment). */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long fileSize, long memorySize, long align) {
    public static final int PT_LOAD = ElfTypes.PT_LOAD;
    public static final int PT_DYNAMIC = ElfTypes.PT_DYNAMIC;
    public static final int PT_INTERP = ElfTypes.PT_INTERP;
    public static final int PT_NOTE = ElfTypes.PT_NOTE;
    public static final int PT_PHDR = ElfTypes.PT_PHDR;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    public static final int SIZE = 56;

    /** Decodes the Elf64_Phdr at {@code at} in a little-endian table (from a file or from core memory). */
    public static ProgramHeader parse(ByteBuffer table, int at) {
        return new ProgramHeader(
                table.getInt(at),
                table.getInt(at + 4),
                table.getLong(at + 8),
                table.getLong(at + 16),
                table.getLong(at + 32),
                table.getLong(at + 40),
                table.getLong(at + 48));
    }

    public long end() {
        return vaddr + memorySize;
    }

    /** "rwx"-style permissions. */
    public String permissions() {
        return ((flags & PF_R) != 0 ? "r" : "-")
                + ((flags & PF_W) != 0 ? "w" : "-")
                + ((flags & PF_X) != 0 ? "x" : "-");
    }
}
