package io.coredumptools.emulator.unicorn;

import java.util.Map;
import java.util.TreeMap;

/**
 * The guest ranges the program may execute, kept by {@link Unicorn} because unicorn itself is told that none are
 * (see {@link TranslationGuard}). Disjoint, coalesced [start, end) ranges; addresses compare unsigned.
 */
final class ExecutableRanges {
    /** start → end (exclusive; 0 for a range that reaches the top of the address space). */
    private final TreeMap<Long, Long> ranges = new TreeMap<>(Long::compareUnsigned);
    /** The page {@link #contains} found executable last: translation asks about the same page many times. */
    private long lastExecutablePage = -1;

    void add(long start, long end) {
        remove(start, end);
        long newStart = start;
        long newEnd = end;
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() == start) {
            newStart = before.getKey();
            ranges.remove(before.getKey());
        }
        Long afterEnd = end == 0 ? null : ranges.get(end);
        if (afterEnd != null) {
            ranges.remove(end);
            newEnd = afterEnd;
        }
        ranges.put(newStart, newEnd);
    }

    void remove(long start, long end) {
        lastExecutablePage = -1;
        Map.Entry<Long, Long> entry = ranges.floorEntry(start);
        if (entry == null || !after(entry.getValue(), start)) {
            entry = ranges.higherEntry(start);
        }
        while (entry != null && before(entry.getKey(), end)) {
            long rangeStart = entry.getKey();
            long rangeEnd = entry.getValue();
            ranges.remove(rangeStart);
            if (Long.compareUnsigned(rangeStart, start) < 0) {
                ranges.put(rangeStart, start);
            }
            if (end != 0 && before(end, rangeEnd)) {
                ranges.put(end, rangeEnd);
                break;
            }
            entry = ranges.higherEntry(rangeStart);
        }
    }

    boolean contains(long address) {
        long page = address >>> 12;
        if (page == lastExecutablePage) {
            return true;
        }
        Map.Entry<Long, Long> entry = ranges.floorEntry(address);
        boolean executable = entry != null && after(entry.getValue(), address);
        if (executable) {
            lastExecutablePage = page;
        }
        return executable;
    }

    /** Whether any address of [start, end) is executable. */
    boolean intersects(long start, long end) {
        Map.Entry<Long, Long> entry = ranges.floorEntry(start);
        if (entry != null && after(entry.getValue(), start)) {
            return true;
        }
        Long next = ranges.higherKey(start);
        return next != null && before(next, end);
    }

    /** Whether {@code end} (exclusive, 0 = the top) lies after {@code address}. */
    private static boolean after(long end, long address) {
        return end == 0 || Long.compareUnsigned(end, address) > 0;
    }

    /** Whether {@code address} lies before {@code end} (exclusive, 0 = the top). */
    private static boolean before(long address, long end) {
        return end == 0 || Long.compareUnsigned(address, end) < 0;
    }
}
