package io.coredumptools.elfcore;

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
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;
    public static final int EM_X86_64 = 62;

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
