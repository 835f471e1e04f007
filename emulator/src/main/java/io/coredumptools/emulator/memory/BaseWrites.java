package io.coredumptools.emulator.memory;

import io.coredumptools.emulator.nativeio.PageSize;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The writes that are part of the base image: the load-time patches and the debugger's writes outside calls. Kept
 * per page (the bytes written and which of them), so that a restore re-applies exactly what it dropped and a page
 * can be compared with its base contents. Bounded: {@link #add} refuses what would hold more pages than allowed.
 */
final class BaseWrites {
    private static final int PAGE = (int) PageSize.BYTES;

    /** {@code debugger}: the bytes of {@code written} that counted writes (the debugger's) wrote. */
    private record BasePage(byte[] bytes, BitSet written, BitSet debugger) {}

    private final TreeMap<Long, BasePage> pages = new TreeMap<>(Long::compareUnsigned);
    /** Pages that only counted writes (the debugger's, not the load-time patches) brought in. */
    private long countedPages;

    /** Bytes of pages holding the debugger's base writes (load-time patches are not counted). */
    long heldBytes() {
        return countedPages * PAGE;
    }

    /** How many pages a write of {@code length} bytes at {@code address} would add. */
    long newPages(long address, int length) {
        long added = 0;
        long first = PageSize.alignDown(address);
        long count = PageSize.pagesSpanned(address, length);
        for (long i = 0; i < count; i++) {
            if (!pages.containsKey(first + i * PAGE)) {
                added++;
            }
        }
        return added;
    }

    /** @param counted a debugger's write, counted against the limit (a load-time patch is not) */
    void add(long address, byte[] data, boolean counted) {
        for (int i = 0; i < data.length; ) {
            long at = address + i;
            long page = PageSize.alignDown(at);
            int offset = (int) (at - page);
            int n = Math.min(PAGE - offset, data.length - i);
            BasePage base = pages.get(page);
            if (base == null) {
                base = new BasePage(new byte[PAGE], new BitSet(PAGE), new BitSet(PAGE));
                pages.put(page, base);
                if (counted) {
                    countedPages++;
                }
            }
            System.arraycopy(data, i, base.bytes(), offset, n);
            base.written().set(offset, offset + n);
            if (counted) {
                base.debugger().set(offset, offset + n);
            }
            i += n;
        }
    }

    /**
     * Forgets the debugger's writes (the load-time patches stay; a byte both wrote keeps the debugger's value) and
     * returns the pages they were on, whose contents must go back to the crash image with the patches over it.
     */
    java.util.List<Long> forgetCounted() {
        java.util.List<Long> forgotten = new java.util.ArrayList<>();
        var entries = pages.entrySet().iterator();
        while (entries.hasNext()) {
            var entry = entries.next();
            BasePage base = entry.getValue();
            if (base.debugger().isEmpty()) {
                continue;
            }
            forgotten.add(entry.getKey());
            BitSet patchOnly = (BitSet) base.written().clone();
            patchOnly.andNot(base.debugger());
            base.written().and(patchOnly);
            base.debugger().clear();
            if (base.written().isEmpty()) {
                entries.remove();
            }
        }
        countedPages = 0;
        return forgotten;
    }

    boolean covers(long page) {
        return pages.containsKey(PageSize.alignDown(page));
    }

    /** The base contents of {@code page}: {@code original} (its bytes in the crash image) with the base writes over it. */
    byte[] overlay(long page, byte[] original) {
        byte[] result = original.clone();
        BasePage base = pages.get(page);
        if (base != null) {
            for (int i = base.written().nextSetBit(0);
                    i >= 0;
                    i = base.written().nextSetBit(i + 1)) {
                result[i] = base.bytes()[i];
            }
        }
        return result;
    }

    @FunctionalInterface
    interface Writer {
        void write(long address, byte[] bytes);
    }

    /** Writes again, through {@code writer}, every base write on the pages of [start, end). */
    void reapply(long start, long end, Writer writer) {
        Map<Long, BasePage> touched = end == 0 || Long.compareUnsigned(end, start) <= 0
                ? pages.tailMap(PageSize.alignDown(start), true)
                : pages.subMap(PageSize.alignDown(start), true, end, false);
        for (Map.Entry<Long, BasePage> entry : touched.entrySet()) {
            BitSet written = entry.getValue().written();
            for (int from = written.nextSetBit(0); from >= 0; ) {
                int to = written.nextClearBit(from);
                byte[] run = new byte[to - from];
                System.arraycopy(entry.getValue().bytes(), from, run, 0, run.length);
                writer.write(entry.getKey() + from, run);
                from = to >= PAGE ? -1 : written.nextSetBit(to);
            }
        }
    }
}
