package io.coredumptools.elfcore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** {@link CoreMemory} over the core's PT_LOAD data, read from the file on demand. */
final class SegmentMemory implements CoreMemory {
    private final FileBytes file;
    private final List<LoadSegment> segments;

    SegmentMemory(FileBytes file, List<LoadSegment> segments) {
        this.file = file;
        this.segments = segments.stream()
                .sorted(Comparator.comparingLong(LoadSegment::vaddr))
                .toList();
    }

    @Override
    public Optional<ByteBuffer> read(long address, int length) {
        if (length < 0 || !present(address, length)) {
            return Optional.empty(); // before allocating: a caller may ask for far more than the core holds
        }
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        long cursor = address;
        while (out.hasRemaining()) {
            LoadSegment segment = segmentWithDataAt(cursor);
            if (segment == null) {
                return Optional.empty();
            }
            long inSegment = cursor - segment.vaddr();
            int chunk = (int) Math.min(out.remaining(), segment.presentBytes() - inSegment);
            try {
                out.put(file.read(segment.offset() + inSegment, chunk, "memory at " + Hex.address(cursor)));
            } catch (CoreFormatException e) {
                return Optional.empty();
            }
            cursor += chunk;
        }
        return Optional.of(out.flip());
    }

    /** Whether every byte of [address, address+length) is in the file. */
    private boolean present(long address, int length) {
        long cursor = address;
        long left = length;
        while (left > 0) {
            LoadSegment segment = segmentWithDataAt(cursor);
            if (segment == null) {
                return false;
            }
            long chunk = Math.min(left, segment.presentBytes() - (cursor - segment.vaddr()));
            cursor += chunk;
            left -= chunk;
        }
        return true;
    }

    private LoadSegment segmentWithDataAt(long address) {
        for (LoadSegment s : segments) {
            if (Long.compareUnsigned(address, s.vaddr()) >= 0
                    && Long.compareUnsigned(address - s.vaddr(), s.presentBytes()) < 0) {
                return s;
            }
        }
        return null;
    }
}
