package io.coredumptools.emulator.nativeio;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;

/**
 * A range of this process's address space made with mmap: a MAP_PRIVATE view of a read-only file, or
 * anonymous zero pages. Both are PROT_READ|PROT_WRITE on the host, so writes create private copies of
 * pages and never reach the file; {@link #discard} drops those copies again (MADV_DONTNEED) and the
 * next access sees the file's bytes (or zeros) at the same host address.
 */
public final class HostMapping implements AutoCloseable {
    /** Where mmap put the pages; {@link #address()} is {@code mappingAddress + skew}. */
    private final long mappingAddress;

    private final long mappingLength;
    /**
     * How far into its first page the data starts: 0, except for a file offset that is not
     * page-aligned (gdb's gcore writes segment data at unaligned offsets), where the pages are mapped
     * from the page holding the offset and the data starts {@code offset % 4096} bytes in.
     */
    private final long skew;

    private final long length;
    private final String description;
    private boolean unmapped;

    private HostMapping(long mappingAddress, long skew, long length, String description) {
        this.mappingAddress = mappingAddress;
        this.skew = skew;
        this.length = length;
        this.mappingLength = PageSize.alignUp(skew + length);
        this.description = description;
    }

    /**
     * Maps [offset, offset+length) of {@code file} privately. The caller must keep every whole page
     * within the file's size: touching a page wholly beyond the end of a mapped file raises SIGBUS,
     * which would kill the JVM. Nothing is read until a page is touched.
     */
    public static HostMapping ofFile(ReadOnlyFile file, long offset, long length) {
        long skew = offset - PageSize.alignDown(offset);
        requireAligned(0, length);
        if (PageSize.alignUp(offset + length) > PageSize.alignUp(file.size())) {
            throw new IllegalArgumentException("refusing to map [0x" + Long.toHexString(offset) + "-0x"
                    + Long.toHexString(offset + length) + ") of " + file.path() + ": the file ends at 0x"
                    + Long.toHexString(file.size()) + " and a page beyond its end would raise SIGBUS");
        }
        String what =
                "mmap(" + file.path() + " @0x" + Long.toHexString(offset) + ", 0x" + Long.toHexString(length) + ")";
        try {
            long address = LibC.mmap(
                    0,
                    PageSize.alignUp(skew + length),
                    LibC.PROT_READ | LibC.PROT_WRITE,
                    LibC.MAP_PRIVATE | LibC.MAP_NORESERVE,
                    file.fd(),
                    offset - skew);
            return new HostMapping(address, skew, length, file.path() + " @0x" + Long.toHexString(offset));
        } catch (LastErrorException e) {
            throw new NativeIoException(what, e.getErrorCode());
        }
    }

    /** Anonymous zero pages; they take memory only once touched. */
    public static HostMapping anonymous(long length) {
        requireAligned(0, length);
        try {
            long address = LibC.mmap(
                    0,
                    length,
                    LibC.PROT_READ | LibC.PROT_WRITE,
                    LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE,
                    -1,
                    0);
            return new HostMapping(address, 0, length, "anonymous");
        } catch (LastErrorException e) {
            throw new NativeIoException("mmap(anonymous, 0x" + Long.toHexString(length) + ")", e.getErrorCode());
        }
    }

    /** Host address of the data (the file byte at the offset asked for). */
    public long address() {
        return mappingAddress + skew;
    }

    public long length() {
        return length;
    }

    public Pointer pointer() {
        return new Pointer(address());
    }

    /**
     * Drops the private copies of the pages holding data bytes [offset, offset+length): they read as
     * the file's bytes again (zeros for anonymous memory). The cost is proportional to the pages
     * actually populated: the kernel skips empty page tables. With a skewed mapping the host pages
     * straddle the range's edges, so up to a page more on each side is reverted.
     *
     * @return the data range actually reverted, as {offset, end}, clipped to the data
     */
    public long[] discard(long offset, long discardLength) {
        checkWithin(offset, discardLength);
        long hostStart = PageSize.alignDown(skew + offset);
        long hostEnd = PageSize.alignUp(skew + offset + discardLength);
        try {
            LibC.madvise(mappingAddress + hostStart, hostEnd - hostStart, LibC.MADV_DONTNEED);
        } catch (LastErrorException e) {
            throw new NativeIoException("madvise(MADV_DONTNEED) on " + description, e.getErrorCode());
        }
        return new long[] {Math.max(0, hostStart - skew), Math.min(length, hostEnd - skew)};
    }

    public void discardAll() {
        discard(0, length);
    }

    /**
     * Reports, through {@code pageMap}, the data offsets of the written host pages overlapping the data
     * range [offset, offset+length): the start of each such page, relative to the data (negative or
     * past the range at the skewed edges; callers clip).
     */
    public void forEachWrittenPage(
            PageMap pageMap, long offset, long rangeLength, PageMap.WrittenPageConsumer consumer) {
        checkWithin(offset, rangeLength);
        long hostStart = PageSize.alignDown(skew + offset);
        long hostEnd = PageSize.alignUp(skew + offset + rangeLength);
        pageMap.forEachWrittenPage(
                mappingAddress + hostStart,
                hostEnd - hostStart,
                pageOffset -> consumer.accept(hostStart + pageOffset - skew));
    }

    @Override
    public void close() {
        if (!unmapped) {
            unmapped = true;
            try {
                LibC.munmap(mappingAddress, mappingLength);
            } catch (LastErrorException e) {
                throw new NativeIoException("munmap of " + description, e.getErrorCode());
            }
        }
    }

    @Override
    public String toString() {
        return description + " at host 0x" + Long.toHexString(address()) + " (0x" + Long.toHexString(length)
                + " bytes)";
    }

    private void checkWithin(long offset, long rangeLength) {
        if (offset < 0 || rangeLength < 0 || offset + rangeLength > length) {
            throw new IllegalArgumentException(
                    "[0x" + Long.toHexString(offset) + "+0x" + Long.toHexString(rangeLength) + ") is outside " + this);
        }
    }

    private static void requireAligned(long offset, long length) {
        if (!PageSize.isAligned(offset) || !PageSize.isAligned(length) || length <= 0) {
            throw new IllegalArgumentException("mappings are whole pages: offset 0x" + Long.toHexString(offset)
                    + ", length 0x" + Long.toHexString(length));
        }
    }
}
