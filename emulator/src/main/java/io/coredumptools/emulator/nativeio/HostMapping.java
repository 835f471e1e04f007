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
    /** The mmap this mapping or slice shares: unmapped when its last user closes. */
    private final Owner owner;

    private boolean closed;

    /** One mmap'd range and how many mappings and slices still use it. */
    private static final class Owner {
        private final long address;
        private final long length;
        private int users = 1;

        Owner(long address, long length) {
            this.address = address;
            this.length = length;
        }
    }

    private HostMapping(long mappingAddress, long skew, long length, String description) {
        this.mappingAddress = mappingAddress;
        this.skew = skew;
        this.length = length;
        this.mappingLength = PageSize.alignUp(skew + length);
        this.description = description;
        this.owner = new Owner(mappingAddress, mappingLength);
    }

    private HostMapping(HostMapping whole, long offset, long length) {
        this.mappingAddress = whole.mappingAddress + offset;
        this.skew = 0;
        this.length = length;
        this.mappingLength = length;
        this.description = whole.description + " +0x" + Long.toHexString(offset);
        this.owner = whole.owner;
        owner.users++;
    }

    /**
     * The part [offset, offset+length) of an unskewed mapping as a mapping of its own, sharing the same pages:
     * for an emulated munmap or mprotect that keeps part of a region. The pages stay mapped until this and every
     * other user is closed.
     */
    public HostMapping slice(long offset, long sliceLength) {
        if (skew != 0 || !PageSize.isAligned(offset) || !PageSize.isAligned(sliceLength) || sliceLength <= 0) {
            throw new IllegalArgumentException("slices are whole pages of an unskewed mapping: +0x"
                    + Long.toHexString(offset) + " length 0x" + Long.toHexString(sliceLength) + " of " + this);
        }
        checkWithin(offset, sliceLength);
        if (closed) {
            throw new IllegalStateException("closed: " + this);
        }
        return new HostMapping(this, offset, sliceLength);
    }

    /**
     * Maps [offset, offset+length) of {@code file} privately. The caller must keep every whole page
     * within the file's size: touching a page wholly beyond the end of a mapped file raises SIGBUS,
     * which would kill the JVM. Nothing is read until a page is touched.
     */
    public static HostMapping ofFile(ReadOnlyFile file, long offset, long length) {
        long skew = offset - PageSize.alignDown(offset);
        requireAligned(0, length);
        long fileEnd = PageSize.alignUp(file.size());
        if (offset < 0 || offset > fileEnd || length > fileEnd - offset) {
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

    /**
     * Stops using the pages without dropping them: for the whole mapping once slices of it stand in its place.
     * The last user to stop unmaps the mmap.
     */
    public void release() {
        if (closed) {
            return;
        }
        closed = true;
        if (--owner.users == 0) {
            unmapOwner();
        }
    }

    /**
     * Stops using the pages: the last user of an mmap unmaps it; a slice that is not the last drops its pages'
     * contents (MADV_DONTNEED), so an unmapped part of a region takes no memory.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (--owner.users > 0) {
            try {
                LibC.madvise(mappingAddress, mappingLength, LibC.MADV_DONTNEED);
            } catch (LastErrorException e) {
                throw new NativeIoException("madvise(MADV_DONTNEED) on " + description, e.getErrorCode());
            }
            return;
        }
        unmapOwner();
    }

    private void unmapOwner() {
        try {
            LibC.munmap(owner.address, owner.length);
        } catch (LastErrorException e) {
            throw new NativeIoException("munmap of " + description, e.getErrorCode());
        }
    }

    @Override
    public String toString() {
        return description + " at host 0x" + Long.toHexString(address()) + " (0x" + Long.toHexString(length)
                + " bytes)";
    }

    private void checkWithin(long offset, long rangeLength) {
        if (offset < 0 || rangeLength < 0 || rangeLength > length - offset) {
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
