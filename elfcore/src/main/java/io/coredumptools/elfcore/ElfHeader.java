package io.coredumptools.elfcore;

import io.coredumptools.elfcore.abi.ElfTypes;

/** The fields of an ELF64 file header this project uses. */
public record ElfHeader(
        int type,
        int machine,
        long entry,
        long programHeaderOffset,
        int programHeaderSize,
        int programHeaderCount,
        long sectionHeaderOffset,
        int sectionHeaderSize,
        int sectionHeaderCount,
        int sectionNameIndex) {
    public static final int ET_EXEC = ElfTypes.ET_EXEC;
    public static final int ET_DYN = ElfTypes.ET_DYN;
    public static final int ET_CORE = ElfTypes.ET_CORE;
    public static final int EM_X86_64 = ElfTypes.EM_X86_64;

    public static String typeName(int type) {
        return switch (type) {
            case 0 -> "ET_NONE";
            case 1 -> "ET_REL (object file)";
            case ET_EXEC -> "ET_EXEC (executable)";
            case ET_DYN -> "ET_DYN (shared object or PIE)";
            case ET_CORE -> "ET_CORE (core dump)";
            default -> "type " + type;
        };
    }
}
