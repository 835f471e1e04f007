package io.coredumptools.elfcore.symbols;

/**
 * A symbol relocated to where its object was loaded in the crashed process.
 *
 * @param name    the plain name, without version
 * @param version the symbol version ({@code GLIBC_2.2.5}), or "" when unversioned
 * @param address the run-time address (st_value + load bias; for TLS symbols the offset in the TLS block)
 * @param module  the path of the object that defines it, as the core recorded it
 */
public record Symbol(
        String name, String version, long address, long size, SymbolKind kind, boolean global, String module) {

    public boolean isIfunc() {
        return kind == SymbolKind.IFUNC;
    }
}
