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
 * them. A patch is one unit, never judged byte by byte (a value that shares some bytes with the patch must not show
 * mixed):
 *
 * <ul>
 *   <li><b>intact</b>: the engine holds all of the patch's new bytes. The debugger is shown the crash image's bytes
 *       there;
 *   <li>otherwise the engine holds what the process would (written by the debugger or by called code), and that is
 *       shown.
 * </ul>
 *
 * A debugger's write that touches a patch decides its state from what the process then holds there (what was shown,
 * with the write applied): the crash image's bytes (a breakpoint's shadow put back, the value it was shown) make
 * the patch intact again; anything else drops the patch, and the engine holds exactly the process's bytes over the
 * whole patch, so code that runs through it sees what the live process would. Only the patches an engine applies
 * (where the crash image holds their old bytes) count. Immutable, shared by every session of a core.
 */
final class PatchedLocations {
    /** Reads what an engine holds; a patched range is always mapped. */
    @FunctionalInterface
    interface EngineBytes {
        byte[] read(long address, int length);
    }

    /** Bytes for the engine, at {@code address}: a write widened to whole patches. */
    record EngineWrite(long address, byte[] bytes) {}

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

    /**
     * Turns bytes an engine read at {@code address} into what the process had: the crash bytes over the part of each
     * intact patch they cover.
     */
    void showCrashBytes(long address, byte[] engineBytes, EngineBytes engine) {
        for (Patch patch : overlapping(address, engineBytes.length)) {
            if (Arrays.equals(engineBytesOf(patch, address, engineBytes, engine), patch.newBytes())) {
                copyOverlap(patch.oldBytes(), patch.address(), engineBytes, address);
            }
        }
    }

    /**
     * What the engine must hold after a debugger writes {@code written} at {@code address}: the write itself where it
     * touches no patch; over each patch it touches, the patch's new bytes when the process then holds the crash
     * bytes there, else the process's bytes.
     */
    EngineWrite toEngine(long address, byte[] written, EngineBytes engine) {
        List<Patch> hit = overlapping(address, written.length);
        if (hit.isEmpty()) {
            return new EngineWrite(address, written);
        }
        long from = address;
        long to = address + written.length;
        for (Patch patch : hit) {
            from = Long.compareUnsigned(patch.address(), from) < 0 ? patch.address() : from;
            long patchEnd = patch.address() + patch.length();
            to = Long.compareUnsigned(patchEnd, to) > 0 ? patchEnd : to;
        }
        // What the process holds over the widened range after the write: shown bytes, then the write on top.
        byte[] process = engine.read(from, (int) (to - from));
        showCrashBytes(from, process, engine);
        System.arraycopy(written, 0, process, (int) (address - from), written.length);
        byte[] out = process.clone();
        for (Patch patch : hit) {
            byte[] after = Arrays.copyOfRange(
                    process, (int) (patch.address() - from), (int) (patch.address() - from) + patch.length());
            if (Arrays.equals(after, patch.oldBytes())) {
                copyOverlap(patch.newBytes(), patch.address(), out, from);
            }
        }
        return new EngineWrite(from, out);
    }

    /** The engine's bytes over the whole patch: from {@code bytes} when they cover it, else read. */
    private static byte[] engineBytesOf(Patch patch, long address, byte[] bytes, EngineBytes engine) {
        long offset = patch.address() - address;
        if (offset >= 0 && offset + patch.length() <= bytes.length) {
            return Arrays.copyOfRange(bytes, (int) offset, (int) offset + patch.length());
        }
        return engine.read(patch.address(), patch.length());
    }

    /** Copies the part of {@code source} (at {@code sourceAddress}) that falls inside {@code target}. */
    private static void copyOverlap(byte[] source, long sourceAddress, byte[] target, long targetAddress) {
        for (int i = 0; i < source.length; i++) {
            long at = sourceAddress + i - targetAddress;
            if (at >= 0 && at < target.length) {
                target[(int) at] = source[i];
            }
        }
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
