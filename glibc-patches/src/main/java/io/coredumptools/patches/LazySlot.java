package io.coredumptools.patches;

import java.util.Optional;

/**
 * One R_X86_64_JUMP_SLOT relocation: a PLT call's GOT slot.
 *
 * @param module     short name of the object whose GOT holds the slot
 * @param slot       run-time address of the slot
 * @param symbol     the referenced name with the version it requires ({@code cbrt@GLIBC_2.2.5})
 * @param value      the slot's value in the process
 * @param bound      false when the slot still holds its lazy initial value (the PLT stub, which enters ld.so's
 *                   {@code _dl_runtime_resolve_xsavec} through GOT[2])
 * @param definition where the dynamic linker would bind it ({@code cbrt@@GLIBC_2.2.5 in libm.so.6}); empty when
 *                   nothing defines the name
 * @param target     the definition's address: the function, or the resolver when {@code ifunc}
 * @param ifunc      the definition is an STT_GNU_IFUNC: the final value is what its resolver returns
 */
public record LazySlot(
        String module,
        long slot,
        String symbol,
        Optional<Long> value,
        boolean bound,
        Optional<String> definition,
        Optional<Long> target,
        boolean ifunc) {}
