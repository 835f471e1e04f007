package io.coredumptools.elfcore.symbols;

/**
 * An address described by the nearest function symbol before it and the module it lies in.
 *
 * @param symbol       the nearest preceding function symbol, or null when none covers the address
 * @param offset       address − symbol address (0 when symbol is null)
 * @param module       the short name of the containing module (e.g. {@code libc.so.6}), or null
 * @param moduleOffset address − the module's load address
 */
public record SymbolLocation(long address, Symbol symbol, long offset, String module, long moduleOffset) {

    /** {@code greet+0x12 (libfoo.so+0x1234)}, {@code greet (demo+0x1189)}, or {@code 0x1234} alone. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (symbol != null) {
            s.append(symbol.name());
            if (offset != 0) {
                s.append("+0x").append(Long.toHexString(offset));
            }
        } else {
            s.append("0x").append(Long.toHexString(address));
        }
        if (module != null) {
            s.append(" (")
                    .append(module)
                    .append("+0x")
                    .append(Long.toHexString(moduleOffset))
                    .append(')');
        }
        return s.toString();
    }
}
