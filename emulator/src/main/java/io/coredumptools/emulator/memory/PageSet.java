package io.coredumptools.emulator.memory;

import io.coredumptools.emulator.nativeio.PageSize;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** A set of guest pages (by page address), reported as merged runs. */
final class PageSet {
    private final TreeSet<Long> pages = new TreeSet<>(Long::compareUnsigned);

    /** Adds every page overlapping [address, address+length). */
    void addRange(long address, long length) {
        for (long page = PageSize.alignDown(address);
                Long.compareUnsigned(page, address + length) < 0;
                page += PageSize.BYTES) {
            pages.add(page);
        }
    }

    void addPage(long page) {
        pages.add(page);
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

    /** Consecutive pages merged into [start, end) runs, ascending. */
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
