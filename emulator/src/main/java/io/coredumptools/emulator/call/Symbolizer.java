package io.coredumptools.emulator.call;

import io.coredumptools.elfcore.symbols.SymbolIndex;
import io.coredumptools.elfcore.symbols.SymbolLocation;

/** Addresses as people read them: {@code greet+0x12 (demo+0x1189)}, or hex when nothing is known. */
public final class Symbolizer {
    private final SymbolIndex symbols;

    public Symbolizer(SymbolIndex symbols) {
        this.symbols = symbols;
    }

    public String describe(long address) {
        try {
            return symbols.symbolize(address).map(SymbolLocation::toString).orElse("0x" + Long.toHexString(address));
        } catch (RuntimeException e) {
            // A corrupt symbol table must not hide the fault being reported.
            return "0x" + Long.toHexString(address);
        }
    }

    /** The start of the function containing {@code address}, when a symbol says where it is. */
    public java.util.OptionalLong functionStart(long address) {
        try {
            return symbols.symbolize(address)
                    .filter(l -> l.symbol() != null)
                    .map(l -> java.util.OptionalLong.of(l.symbol().address()))
                    .orElse(java.util.OptionalLong.empty());
        } catch (RuntimeException e) {
            return java.util.OptionalLong.empty();
        }
    }
}
