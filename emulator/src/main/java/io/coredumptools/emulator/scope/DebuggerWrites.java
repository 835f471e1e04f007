package io.coredumptools.emulator.scope;

import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.nativeio.PageSize;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The memory the debugger wrote since the previous call ended: for the call about to run, its data (the dummy frame,
 * stack arguments, struct copies, string literals, and {@code set var} writes since). None of it counts as the earlier
 * calls' memory; the words in it are the call's inputs; and what it wrote inside the call is replayed when the call
 * starts from the base. Bounded: past {@link #MAX_BYTES} the call can no longer be replayed, and it continues.
 */
final class DebuggerWrites {
    /** Bytes kept for replay; gdb writes a few hundred per call, lldb a few pages. */
    static final long MAX_BYTES = 16L << 20;

    /** At most this many pages of one write are checked for earlier writes (a longer write: all count as its own). */
    private static final int MAX_PAGES_CHECKED = 64;

    record Write(long address, byte[] bytes) {}

    /** start to end (exclusive) of every byte range written, merged. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>(Long::compareUnsigned);
    /** Pages nothing had written since the last restore before the debugger wrote them. */
    private final Set<Long> firstWrittenPages = new HashSet<>();
    /** Writes inside the call, before its decision: what a restore must put back. */
    private final List<Write> toReplay = new ArrayList<>();

    private long keptBytes;
    private boolean overflowed;

    /** Call before the write happens: notes the pages no earlier call had written. */
    void beforeWrite(Emulator emulator, long address, int length) {
        long first = PageSize.alignDown(address);
        long pages = PageSize.pagesSpanned(address, length);
        for (long i = 0; i < pages; i++) {
            long page = first + i * PageSize.BYTES;
            if (i >= MAX_PAGES_CHECKED
                    || (!emulator.writtenSinceRestore(page) && !emulator.createdSinceRestore(page))) {
                firstWrittenPages.add(page);
            }
        }
    }

    /** After the write: {@code replay} when a restore before the call's first resume must put it back. */
    void written(long address, byte[] bytes, boolean replay) {
        long end = address + bytes.length;
        Long start = address;
        var before = ranges.floorEntry(address);
        if (before != null && Long.compareUnsigned(before.getValue(), address) >= 0) {
            start = before.getKey();
            end = umax(end, before.getValue());
        }
        var next = ranges.ceilingEntry(start);
        while (next != null && Long.compareUnsigned(next.getKey(), end) <= 0) {
            end = umax(end, next.getValue());
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(start);
        }
        ranges.put(start, end);
        if (replay) {
            if (keptBytes + bytes.length > MAX_BYTES) {
                overflowed = true;
            } else {
                toReplay.add(new Write(address, bytes.clone()));
                keptBytes += bytes.length;
            }
        }
    }

    /** Whether the debugger wrote the byte at {@code address}. */
    boolean covers(long address) {
        var range = ranges.floorEntry(address);
        return range != null && Long.compareUnsigned(address, range.getValue()) < 0;
    }

    /** Whether the page of {@code address} was unwritten since the last restore until the debugger wrote it. */
    boolean firstWrittenByDebugger(long address) {
        return firstWrittenPages.contains(PageSize.alignDown(address));
    }

    List<Write> toReplay() {
        return toReplay;
    }

    /** Whether more was written inside the call than can be replayed. */
    boolean overflowed() {
        return overflowed;
    }

    /** The call was decided: what it wrote so far needs no replay any more (later calls decide anew). */
    void decided() {
        toReplay.clear();
        keptBytes = 0;
        overflowed = false;
    }

    /**
     * The addresses of the 8-byte words (aligned) inside the written ranges, at most {@code max}. Counted before the
     * array is made: it is asked for at every call, and a call writes a few words, not {@code max}.
     */
    long[] wordAddresses(int max) {
        int n = 0;
        for (var range : ranges.entrySet()) {
            n = (int) Math.min(max, n + wordsIn(range.getKey(), range.getValue()));
        }
        long[] words = new long[n];
        int i = 0;
        for (var range : ranges.entrySet()) {
            long word = (range.getKey() + 7) & ~7L;
            while (i < n && Long.compareUnsigned(word + 8, range.getValue()) <= 0) {
                words[i++] = word;
                word += 8;
            }
        }
        return words;
    }

    /** How many aligned 8-byte words lie wholly inside [start, end). */
    private static long wordsIn(long start, long end) {
        long first = (start + 7) & ~7L;
        if (Long.compareUnsigned(first + 8, end) > 0 || Long.compareUnsigned(first, start) < 0) {
            return 0;
        }
        return Long.divideUnsigned(end - first, 8);
    }

    /** The previous call ended (or memory was restored): the next call's writes start here. */
    void clear() {
        ranges.clear();
        firstWrittenPages.clear();
        decided();
    }

    private static long umax(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
