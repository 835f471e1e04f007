package io.coredumptools.elfcore.symbols;

/** What a symbol names. */
public enum SymbolKind {
    FUNCTION,
    /** STT_GNU_IFUNC: the address is the resolver's; the process calls what the resolver picked. */
    IFUNC,
    OBJECT,
    TLS,
    OTHER
}
