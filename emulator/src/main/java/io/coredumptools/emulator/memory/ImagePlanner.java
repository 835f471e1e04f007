package io.coredumptools.emulator.memory;

import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.emulator.nativeio.PageSize;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * Decides where each page of the crashed process's memory comes from, without reading any of it.
 *
 * <p>For each PT_LOAD segment: the bytes present in the core come from the core file (a partly
 * present last page is mapped too: mmap fills the part past the end of the file with zeros, and a page
 * that holds file bytes cannot raise SIGBUS). The rest of the segment (not dumped, or cut off) comes from
 * the NT_FILE mapping covering it, at {@code mapping.fileOffset + (address - mapping.start)}, but only
 * for pages that start inside that file: touching a page wholly past the end of a mapped file raises
 * SIGBUS, which kills the JVM. Past the end, writable memory becomes zero pages (the process could only
 * have had zeros or its own writes there, and its writes would be in the core); anything else stays
 * unbacked, as does memory with no file or a missing file.
 *
 * <p>A file mapping that no PT_LOAD covers at all (gdb's gcore, with the kernel's default coredump_filter, writes
 * no program header for an unmodified read-only mapping, though NT_FILE lists it) comes from the file too, with
 * the permissions of the file's own segment at that offset (r-- for a data file): an unmodified mapping has them.
 */
final class ImagePlanner {
    private final Path corePath;
    private final List<MappedRegion> mappedRegions;
    private final ToLongFunction<Path> fileSize;
    private final BiFunction<Path, Long, String> filePermissions;
    private final List<PlannedRegion> mapped = new ArrayList<>();
    private final List<UnbackedRange> unbacked = new ArrayList<>();

    /**
     * @param fileSize the size of a resolved file on this machine
     */
    ImagePlanner(Path corePath, List<MappedRegion> mappedRegions, ToLongFunction<Path> fileSize) {
        this(corePath, mappedRegions, fileSize, (file, offset) -> "r--");
    }

    /**
     * @param filePermissions the permissions ("r-x") the file gives the bytes at an offset (its segment's flags)
     */
    ImagePlanner(
            Path corePath,
            List<MappedRegion> mappedRegions,
            ToLongFunction<Path> fileSize,
            BiFunction<Path, Long, String> filePermissions) {
        this.filePermissions = filePermissions;
        this.corePath = corePath;
        this.mappedRegions = mappedRegions.stream()
                .sorted(Comparator.comparingLong((MappedRegion r) -> r.mapping().start()))
                .toList();
        this.fileSize = fileSize;
    }

    ImagePlan plan(List<LoadSegment> segments) {
        for (LoadSegment segment : segments) {
            planSegment(segment);
        }
        for (MappedRegion region : mappedRegions) {
            planUncovered(region, segments);
        }
        return new ImagePlan(List.copyOf(mapped), List.copyOf(unbacked));
    }

    /** The parts of a file mapping that no segment covers: from the file, with the file's permissions there. */
    private void planUncovered(MappedRegion region, List<LoadSegment> segments) {
        long cursor = region.mapping().start();
        long end = region.mapping().end();
        List<LoadSegment> overlapping = segments.stream()
                .filter(s -> Long.compareUnsigned(s.vaddr(), end) < 0 && Long.compareUnsigned(cursor, s.end()) < 0)
                .sorted(Comparator.comparingLong(LoadSegment::vaddr))
                .toList();
        long at = cursor;
        for (LoadSegment s : overlapping) {
            if (Long.compareUnsigned(at, s.vaddr()) < 0) {
                planUncoveredPart(region, at, s.vaddr());
            }
            if (Long.compareUnsigned(s.end(), at) > 0) {
                at = s.end();
            }
        }
        if (Long.compareUnsigned(at, end) < 0) {
            planUncoveredPart(region, at, end);
        }
    }

    private void planUncoveredPart(MappedRegion region, long start, long end) {
        if (region.file().isMissing() || region.file().path().isEmpty()) {
            unbacked.add(new UnbackedRange(
                    start,
                    end,
                    "r--",
                    UnbackedRange.Reason.MISSING_FILE,
                    region.mapping().path()));
            return;
        }
        Path file = region.file().path().get();
        long offset = region.mapping().fileOffset() + (start - region.mapping().start());
        String rwx = filePermissions.apply(file, offset);
        LoadSegment standIn = new LoadSegment(start, end - start, 0, 0, 0, rwx);
        planFilePart(standIn, MemoryProtection.fromRwx(rwx), region, start, end);
    }

    private void planSegment(LoadSegment segment) {
        if (segment.memorySize() == 0) {
            return;
        }
        int perms = MemoryProtection.fromRwx(segment.permissions());
        long coreBytes = Math.min(PageSize.alignUp(segment.presentBytes()), segment.memorySize());
        if (coreBytes > 0) {
            mapped.add(new PlannedRegion(
                    segment.vaddr(),
                    segment.vaddr() + coreBytes,
                    perms,
                    RegionSource.CORE,
                    corePath,
                    corePath.toString(),
                    segment.offset()));
        }
        long cursor = segment.vaddr() + coreBytes;
        long end = segment.end();
        for (MappedRegion region : mappedRegions) {
            if (cursor >= end) {
                break;
            }
            long mappingStart = region.mapping().start();
            long mappingEnd = region.mapping().end();
            if (mappingEnd <= cursor || mappingStart >= end) {
                continue;
            }
            if (mappingStart > cursor) {
                addGap(segment, cursor, mappingStart);
                cursor = mappingStart;
            }
            long partEnd = Math.min(end, mappingEnd);
            planFilePart(segment, perms, region, cursor, partEnd);
            cursor = partEnd;
        }
        if (cursor < end) {
            addGap(segment, cursor, end);
        }
    }

    private void planFilePart(LoadSegment segment, int perms, MappedRegion region, long start, long end) {
        String recordedPath = region.mapping().path();
        if (region.file().isMissing() || region.file().path().isEmpty()) {
            unbacked.add(new UnbackedRange(
                    start, end, segment.permissions(), UnbackedRange.Reason.MISSING_FILE, recordedPath));
            return;
        }
        Path file = region.file().path().get();
        long offset = region.mapping().fileOffset() + (start - region.mapping().start());
        long mappableBytes = Math.max(0, PageSize.alignUp(fileSize.applyAsLong(file)) - offset);
        long fileEnd = start + Math.min(end - start, mappableBytes);
        if (fileEnd > start) {
            mapped.add(new PlannedRegion(start, fileEnd, perms, RegionSource.FILE, file, recordedPath, offset));
        }
        if (fileEnd < end) {
            if (MemoryProtection.isWritable(perms)) {
                mapped.add(new PlannedRegion(fileEnd, end, perms, RegionSource.ZERO_FILL, null, recordedPath, 0));
            } else {
                unbacked.add(new UnbackedRange(
                        fileEnd, end, segment.permissions(), UnbackedRange.Reason.BEYOND_FILE_END, recordedPath));
            }
        }
    }

    /** Memory neither the core nor a file holds: cut off if the core promised it, else never dumped. */
    private void addGap(LoadSegment segment, long start, long end) {
        long promisedEnd = segment.vaddr() + segment.fileSize();
        if (start < promisedEnd) {
            long cut = Math.min(end, promisedEnd);
            unbacked.add(new UnbackedRange(
                    start,
                    cut,
                    segment.permissions(),
                    UnbackedRange.Reason.TRUNCATED_CORE,
                    corePath.toString(),
                    segment.vaddr(),
                    segment.end(),
                    segment.offset() + segment.presentBytes()));
            start = cut;
        }
        if (start < end) {
            unbacked.add(new UnbackedRange(
                    start, end, segment.permissions(), UnbackedRange.Reason.NOT_DUMPED, corePath.toString()));
        }
    }
}
