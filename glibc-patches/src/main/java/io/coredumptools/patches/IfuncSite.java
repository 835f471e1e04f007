package io.coredumptools.patches;

import java.util.Optional;

/**
 * One place where the process uses an IFUNC.
 *
 * @param kind     how it was found
 * @param module   the short name of the object holding the slot (or defining the symbol, for {@link Kind#DYNSYM})
 * @param slot     the run-time address of the GOT slot or data word holding the chosen variant; 0 for DYNSYM
 * @param resolver the run-time address of the resolver
 * @param symbol   the IFUNC symbol's name; "" for an IRELATIVE relocation (no name)
 * @param value    the slot's value in the process (the variant chosen at startup, when bound)
 * @param bound    the slot holds a resolved address (false for a lazy JUMP_SLOT never called, and for DYNSYM)
 */
public record IfuncSite(
        Kind kind, String module, long slot, long resolver, String symbol, Optional<Long> value, boolean bound) {
    public enum Kind {
        /** R_X86_64_IRELATIVE: addend = resolver, written by ld.so (or the static startup code) at load. */
        IRELATIVE,
        /** R_X86_64_JUMP_SLOT against an STT_GNU_IFUNC definition: a PLT call. */
        JUMP_SLOT,
        /** R_X86_64_GLOB_DAT against an STT_GNU_IFUNC definition: an address taken through the GOT. */
        GLOB_DAT,
        /** R_X86_64_64 (addend 0) against an STT_GNU_IFUNC definition: a function pointer in data. */
        ABS64,
        /** An STT_GNU_IFUNC symbol in .dynsym: callable by name (e.g. by gdb), no slot. */
        DYNSYM
    }
}
