package io.coredumptools.patches;

import java.util.List;
import java.util.Optional;

/**
 * What one IFUNC resolver gave with the CPU's features and with none, and what was decided.
 *
 * @param resolver     run-time address of the resolver
 * @param resolverName its .dynsym name, or "IRELATIVE resolver at libc.so.6+0x9f550"
 * @param chosen       the variant for this CPU (the resolver run as is; else the value of a bound slot)
 * @param baseline     the variant with the cpu_features block zeroed
 * @param sites        where the process uses it
 * @param status       the outcome
 * @param note         details (failure message, slot mismatch), or ""
 */
public record IfuncRedirect(
        long resolver,
        String resolverName,
        Optional<Long> chosen,
        String chosenName,
        Optional<Long> baseline,
        String baselineName,
        List<IfuncSite> sites,
        Status status,
        String note) {
    public enum Status {
        /** chosen != baseline: code redirect and slot rewrites decided. */
        REDIRECTED,
        /** chosen == baseline (or chosen is some resolver's baseline): nothing to do. */
        ALREADY_BASELINE,
        /** The resolver could not be run (see note): the chosen variant stays. */
        FAILED,
        /** No cpu_features block: no baseline known. */
        NO_BASELINE
    }
}
