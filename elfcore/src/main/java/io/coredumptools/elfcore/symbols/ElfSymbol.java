package io.coredumptools.elfcore.symbols;

/**
 * One defined symbol as an ELF symbol table holds it, before relocation to the process's addresses.
 *
 * @param name          the plain name, without version
 * @param version       the version name ({@code GLIBC_2.2.5}), or "" when unversioned
 * @param hiddenVersion the version is not the default one ({@code name@VER}, versym bit 0x8000): the dynamic
 *                      linker binds unversioned references to it only when nothing else defines the name
 * @param value         st_value
 * @param size          st_size
 * @param binding       st_bind: {@link #STB_LOCAL}, {@link #STB_GLOBAL}, {@link #STB_WEAK} or {@link #STB_GNU_UNIQUE}
 * @param absolute      st_shndx is SHN_ABS: the value is not relocated by the load bias
 */
record ElfSymbol(
        String name,
        String version,
        boolean hiddenVersion,
        long value,
        long size,
        SymbolKind kind,
        int binding,
        boolean absolute) {
    static final int STB_LOCAL = 0;
    static final int STB_GLOBAL = 1;
    static final int STB_WEAK = 2;
    static final int STB_GNU_UNIQUE = 10;

    /** Visible outside its object (global, weak or unique), as the dynamic linker sees it. */
    boolean isGlobal() {
        return binding != STB_LOCAL;
    }
}
