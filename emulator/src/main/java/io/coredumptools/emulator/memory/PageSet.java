package io.coredumptools.emulator.memory;

import io.coredumptools.emulator.nativeio.PageSize;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** A set of guest pages (by page address), reported as merged runs. */
final class PageSet {
    private final TreeSet<Long> pages = new TreeSet<>(Long::compareUnsigned);

    /**
     * Adds every page overlapping [address, address+length), clipped at the top of the address space: a range
     * that would wrap past 2^64 ends there (counting pages, never comparing a wrapped end).
     */
    void addRange(long address, long length) {
        long first = PageSize.alignDown(address);
        long count = PageSize.pagesSpanned(address, length);
        for (long i = 0; i < count; i++) {
            pages.add(first + (i << PageSize.SHIFT));
        }
    }

    void addPage(long page) {
        pages.add(page);
    }

    boolean contains(long page) {
        return pages.contains(PageSize.alignDown(page));
    }

    boolean isEmpty() {
        return pages.isEmpty();
    }

    int size() {
        return pages.size();
    }

    void clear() {
        pages.clear();
    }

    /** Consecutive pages merged into [start, end) runs, ascending; a run at the very top ends at 0 (2^64). */
    List<long[]> runs() {
        List<long[]> runs = new ArrayList<>();
        long[] current = null;
        for (long page : pages) {
            if (current != null && page == current[1]) {
                current[1] += PageSize.BYTES;
            } else {
                current = new long[] {page, page + PageSize.BYTES};
                runs.add(current);
            }
        }
        return runs;
    }
}
