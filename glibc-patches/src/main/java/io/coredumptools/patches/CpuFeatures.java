package io.coredumptools.patches;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.elfcore.symbols.Symbol;
import io.coredumptools.patches.DynamicObject.Sym;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds and validates glibc's {@code struct cpu_features} without debug information.
 *
 * <p>Dynamic programs: it lies inside ld.so's exported {@code _rtld_global_ro} (.dynsym, GLIBC_PRIVATE), but not
 * necessarily at its start: glibc 2.36 (Debian 12) has it at {@code _rtld_global_ro+0x70}, after
 * {@code _dl_debug_mask}, {@code _dl_platform} and friends. So the object is scanned for the one place whose
 * bytes are a consistent {@code cpu_features_basic} followed by the CPUID leaf 1 registers: kind in 1..4,
 * max_cpuid in 1..0x100, family/model/stepping equal to what leaf 1's eax encodes, and leaf 1's edx has SSE and
 * SSE2 (every x86-64 CPU does). Static programs: {@code _dl_x86_cpu_features} or {@code _rtld_global_ro} from the
 * executable's .symtab, else the same scan over the executable's writable data in the core.
 */
public final class CpuFeatures {
    /** Bytes zeroed for a baseline run. */
    public static final int BLOCK_LENGTH = 0x200;

    private static final int BASIC_AND_LEAF1 = 36;
    private static final int MAX_STATIC_SCAN = 64 << 20;

    private CpuFeatures() {}

    /** Finds the block in a core; reasons for not finding it are added to {@code notes}. */
    public static Optional<CpuFeaturesBlock> locate(CoreDump core, ProcessMemory memory, List<String> notes) {
        List<String> ignored = new ArrayList<>();
        try (ProcessObjects objects = ProcessObjects.of(core, ignored)) {
            return locate(core, objects, memory, notes);
        }
    }

    static Optional<CpuFeaturesBlock> locate(
            CoreDump core, ProcessObjects objects, ProcessMemory memory, List<String> notes) {
        Optional<LoadedModule> ldso = objects.interpreter();
        if (ldso.isPresent()) {
            for (Sym s : ldso.get().object().defined("_rtld_global_ro")) {
                long address = ldso.get().bias() + s.value();
                Optional<CpuFeaturesBlock> found = scan(
                        memory,
                        address,
                        (int) s.size(),
                        "_rtld_global_ro",
                        ldso.get().shortName(),
                        notes);
                if (found.isPresent()) {
                    return found;
                }
            }
            notes.add(
                    "no cpu_features block found in ld.so's _rtld_global_ro: baseline IFUNC variants cannot be computed");
            return Optional.empty();
        }
        for (String name : List.of("_dl_x86_cpu_features", "_rtld_global_ro")) {
            for (Symbol s : core.symbols().lookupAll(name)) {
                int size = s.size() > 0 ? (int) Math.min(s.size(), 1 << 16) : BLOCK_LENGTH;
                Optional<CpuFeaturesBlock> found = scan(memory, s.address(), size, name, shortName(s.module()), notes);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        Optional<LoadedModule> exe = objects.executable();
        if (exe.isPresent()) {
            for (LoadSegment segment : core.segments()) {
                if (!exe.get().contains(segment.vaddr())
                        || !segment.permissions().contains("w")
                        || segment.presentBytes() > MAX_STATIC_SCAN) {
                    continue;
                }
                Optional<CpuFeaturesBlock> found = scan(
                        memory,
                        segment.vaddr(),
                        (int) segment.presentBytes(),
                        "data",
                        exe.get().shortName(),
                        notes);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        notes.add("no cpu_features block found (no ld.so, no _dl_x86_cpu_features, no match in the executable's "
                + "data): baseline IFUNC variants cannot be computed");
        return Optional.empty();
    }

    private static Optional<CpuFeaturesBlock> scan(
            ProcessMemory memory, long start, int size, String name, String module, List<String> notes) {
        Optional<byte[]> bytes = memory.read(start, size);
        if (bytes.isEmpty()) {
            notes.add(name + " at 0x" + Long.toHexString(start) + " is not readable");
            return Optional.empty();
        }
        byte[] b = bytes.get();
        List<Integer> matches = new ArrayList<>();
        for (int at = 0; at + BASIC_AND_LEAF1 <= b.length; at += 4) {
            if (looksLikeCpuFeatures(b, at)) {
                matches.add(at);
            }
        }
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        if (matches.size() > 1) {
            notes.add(name + ": " + matches.size() + " places look like cpu_features; the first, +0x"
                    + Integer.toHexString(matches.get(0)) + ", is used");
        }
        int at = matches.get(0);
        String where = name + (at == 0 ? "" : "+0x" + Integer.toHexString(at)) + " (" + module + ")";
        return Optional.of(new CpuFeaturesBlock(
                start + at,
                Math.min(BLOCK_LENGTH, b.length - at),
                where,
                Bytes.getInt(b, at),
                Bytes.getInt(b, at + 4),
                Bytes.getInt(b, at + 8),
                Bytes.getInt(b, at + 12),
                Bytes.getInt(b, at + 16)));
    }

    /**
     * {@code b[at..]} reads as struct cpu_features: basic {kind, max_cpuid, family, model, stepping} then
     * features[CPUID_INDEX_1].cpuid {eax, ebx, ecx, edx}, consistent with each other.
     */
    public static boolean looksLikeCpuFeatures(byte[] b, int at) {
        if (at < 0 || at + BASIC_AND_LEAF1 > b.length) {
            return false;
        }
        int kind = Bytes.getInt(b, at);
        int maxCpuid = Bytes.getInt(b, at + 4);
        int family = Bytes.getInt(b, at + 8);
        int model = Bytes.getInt(b, at + 12);
        int stepping = Bytes.getInt(b, at + 16);
        int eax = Bytes.getInt(b, at + 20);
        int edx = Bytes.getInt(b, at + 32);
        if (kind < 1 || kind > 4 || maxCpuid < 1 || maxCpuid > 0x100 || eax == 0) {
            return false;
        }
        boolean sseAndSse2 = (edx & (1 << 25)) != 0 && (edx & (1 << 26)) != 0;
        if (!sseAndSse2) {
            return false;
        }
        if (kind == 4 && family == 0 && model == 0 && stepping == 0) {
            return true; // arch_kind_other: glibc leaves basic.family/model/stepping at 0
        }
        int baseFamily = (eax >>> 8) & 0xf;
        int expectedFamily = baseFamily == 0xf ? baseFamily + ((eax >>> 20) & 0xff) : baseFamily;
        int baseModel = (eax >>> 4) & 0xf;
        int extendedModel = (eax >>> 12) & 0xf0;
        return family == expectedFamily
                && stepping == (eax & 0xf)
                && (model == baseModel || model == baseModel + extendedModel);
    }

    private static String shortName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
