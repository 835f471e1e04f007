package io.coredumptools.patches;

/**
 * Where glibc keeps the CPU features its IFUNC resolvers test ({@code struct cpu_features}, glibc's
 * sysdeps/x86/include/cpu-features.h), and what it says. Zeroing {@link #length} bytes at {@link #address} makes
 * every feature bit and preference read as absent, so resolvers return their baseline (SSE2) variants.
 *
 * @param address   run-time address of the struct (its {@code basic.kind} field)
 * @param length    bytes to zero: 0x200 (basic, the cpuid/active arrays, preferred and isa_1 all lie in the first
 *                  0x150 bytes in glibc 2.26–2.40), clipped to the end of the containing object
 * @param container how it was found, e.g. {@code _rtld_global_ro+0x70 (ld-linux-x86-64.so.2)}
 * @param kind      basic.kind: 1 intel, 2 amd, 3 zhaoxin, 4 other
 * @param maxCpuid  basic.max_cpuid
 * @param family    basic.family (with the extended family)
 * @param model     basic.model (with the extended model)
 * @param stepping  basic.stepping
 */
public record CpuFeaturesBlock(
        long address, int length, String container, int kind, int maxCpuid, int family, int model, int stepping) {

    public String kindName() {
        return switch (kind) {
            case 1 -> "intel";
            case 2 -> "amd";
            case 3 -> "zhaoxin";
            case 4 -> "other";
            default -> "unknown";
        };
    }
}
