package io.coredumptools.patches;

import java.util.List;
import java.util.Optional;

/**
 * Everything decided for one core: the patches the emulator applies at load (in this order), the reports behind
 * them, and the lock policy its futex emulation consults.
 *
 * @param patches     to apply, in order; no two overlap
 * @param ifuncs      one entry per IFUNC resolver
 * @param lazySlots   every JUMP_SLOT and how it is bound
 * @param cpuFeatures the cpu_features block used for the baseline runs, if found
 * @param lockPolicy  for the futex emulation
 * @param notes       what was skipped and why, one line each
 */
public record PatchPlan(
        List<Patch> patches,
        List<IfuncRedirect> ifuncs,
        List<LazySlot> lazySlots,
        Optional<CpuFeaturesBlock> cpuFeatures,
        LockPolicy lockPolicy,
        List<String> notes) {
    public PatchPlan {
        patches = List.copyOf(patches);
        ifuncs = List.copyOf(ifuncs);
        lazySlots = List.copyOf(lazySlots);
        notes = List.copyOf(notes);
    }

    public List<Patch> patches(Patch.Kind kind) {
        return patches.stream().filter(p -> p.kind() == kind).toList();
    }

    /** The listing for {@code corestub info --patches}: one line per patch, then the notes. */
    public String listing() {
        StringBuilder s = new StringBuilder();
        s.append(patches.size()).append(" patches");
        cpuFeatures.ifPresent(c -> s.append("; cpu_features at ")
                .append(c.container())
                .append(", ")
                .append(c.kindName())
                .append(" family 0x")
                .append(Integer.toHexString(c.family()))
                .append(" model 0x")
                .append(Integer.toHexString(c.model())));
        s.append("; lock bypass ").append(lockPolicy.bypass() ? "on" : "off").append('\n');
        for (Patch p : patches) {
            s.append(p.describe()).append('\n');
        }
        for (String note : notes) {
            s.append("note: ").append(note).append('\n');
        }
        return s.toString();
    }
}
