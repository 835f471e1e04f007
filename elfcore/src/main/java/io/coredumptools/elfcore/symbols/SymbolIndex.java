package io.coredumptools.elfcore.symbols;

import java.util.List;
import java.util.Optional;

/** Symbols of every loaded object, looked up by name or by address. Implemented by the symbols package. */
public interface SymbolIndex {
    /**
     * The symbol for {@code name}, which may carry a version ({@code memcpy@GLIBC_2.14}, {@code memcpy@@GLIBC_2.14}).
     * Without a version: the default-versioned global definition, searching objects in load order, as the
     * dynamic linker would; a global before a local.
     */
    Optional<Symbol> lookup(String name);

    /** All symbols of that name across objects. */
    List<Symbol> lookupAll(String name);

    /** The nearest function at or before {@code address} in the object containing it. */
    Optional<SymbolLocation> symbolize(long address);

    /** The modules indexed, in load order. */
    List<ModuleImage> modules();
}
