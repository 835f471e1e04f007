package io.coredumptools.rsp.inferior;

import io.coredumptools.emulator.memory.CrashImage;
import io.coredumptools.patches.Patch;
import io.coredumptools.patches.PatchPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The load-time patches as a debugger must not see them. An engine's image holds them (GOT slots rewritten to
 * baseline variants, lazy slots bound up front, vDSO code turned into system calls), but the live process never had
 * them: a debugger reading a patched byte is shown the crash image's byte while the engine still holds the patch's
 * byte there, and a write there of the crash image's byte (a breakpoint's shadow put back, the value the debugger was
 * shown) keeps the patch's byte in the engine. Any other byte written, by the debugger or by called code, shows as
 * written. Only the patches an engine applies (where the crash image holds their old bytes) count. Immutable, shared
 * by every session of a core.
 */
final class PatchedLocations {
    /** Applied patches by address; each with its old and new bytes. */
    private final TreeMap<Long, Patch> patches = new TreeMap<>(Long::compareUnsigned);

    /** The longest patch: how far below an address a patch covering it may start. */
    private final int longest;

    PatchedLocations(PatchPlan plan, CrashImage crash) {
        int max = 0;
        for (Patch patch : plan.patches()) {
            // An engine skips a patch whose bytes are not the expected ones.
            if (Arrays.equals(crash.read(patch.address(), patch.length()), patch.oldBytes())) {
                patches.put(patch.address(), patch);
                max = Math.max(max, patch.length());
            }
        }
        this.longest = max;
    }

    /** How many patches an engine applies. */
    int count() {
        return patches.size();
    }

    /** Turns bytes an engine read at {@code address} into what the process had: the crash bytes at intact patches. */
    void showCrashBytes(long address, byte[] engineBytes) {
        for (Patch patch : overlapping(address, engineBytes.length)) {
            byte[] old = patch.oldBytes();
            byte[] patched = patch.newBytes();
            for (int i = 0; i < old.length; i++) {
                long at = patch.address() + i - address;
                if (at >= 0 && at < engineBytes.length && engineBytes[(int) at] == patched[i]) {
                    engineBytes[(int) at] = old[i];
                }
            }
        }
    }

    /** Turns bytes a debugger writes at {@code address} into what the engine must hold: the patch where unchanged. */
    byte[] toEngine(long address, byte[] written) {
        List<Patch> hit = overlapping(address, written.length);
        if (hit.isEmpty()) {
            return written;
        }
        byte[] out = written.clone();
        for (Patch patch : hit) {
            byte[] old = patch.oldBytes();
            byte[] patched = patch.newBytes();
            for (int i = 0; i < old.length; i++) {
                long at = patch.address() + i - address;
                if (at >= 0 && at < out.length && out[(int) at] == old[i]) {
                    out[(int) at] = patched[i];
                }
            }
        }
        return out;
    }

    private List<Patch> overlapping(long address, int length) {
        if (patches.isEmpty() || length <= 0) {
            return List.of();
        }
        List<Patch> hit = new ArrayList<>();
        long from = address - longest;
        long end = address + length;
        Map<Long, Patch> candidates = Long.compareUnsigned(from, address) <= 0 && Long.compareUnsigned(address, end) < 0
                ? patches.subMap(from, true, end, false)
                : patches; // near either end of the address space: check them all
        for (Patch patch : candidates.values()) {
            long patchEnd = patch.address() + patch.length();
            if (Long.compareUnsigned(patch.address(), end) < 0 && Long.compareUnsigned(address, patchEnd) < 0) {
                hit.add(patch);
            }
        }
        return hit;
    }
}
