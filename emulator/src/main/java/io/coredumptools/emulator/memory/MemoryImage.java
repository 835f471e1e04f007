package io.coredumptools.emulator.memory;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.emulator.nativeio.HostMapping;
import io.coredumptools.emulator.nativeio.PageMap;
import io.coredumptools.emulator.nativeio.PageSize;
import io.coredumptools.emulator.nativeio.ReadOnlyFile;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.UnicornException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crashed process's address space inside a unicorn engine, built without reading or copying the
 * core: every region is a MAP_PRIVATE mmap of the core (or of a mapped file) handed to unicorn with
 * {@code uc_mem_map_ptr}, so a page is read from disk only when the emulation touches it, and writes go
 * to private copies of pages.
 *
 * <p><b>Base image and restores.</b> The base is the crash image plus patches written with
 * {@link #writeBase}. {@link #restoreBase()} reverts everything else: MADV_DONTNEED over every writable
 * region (the private copies vanish, the file's bytes show again; the cost follows the pages populated,
 * not the region size), the same over the pages written through {@link #write} in read-only regions,
 * re-applies the base patches the revert hit, unmaps regions created since, undoes {@link #protect}
 * calls and drops reverted code from unicorn's translation cache. Emulated writes need no tracking for
 * this: they can only land in writable regions, which are reverted whole.
 *
 * <p><b>Named snapshots</b> ({@link #capture()}) do need the set of changed pages: it is read from
 * /proc/self/pagemap for the writable regions, where a present page without the file bit is a private
 * copy (see {@link PageMap}), rather than with a UC_HOOK_MEM_WRITE hook, which would send every
 * emulated store through a Java callback for the whole life of the engine. Reading pagemap costs
 * 8 bytes per page of the writable regions, paid only when a named snapshot is taken.
 *
 * <p>All API writes must go through this class (not {@link Unicorn#writeMemory} directly), or restores
 * will not know to revert them in read-only regions. Not thread-safe, like unicorn.
 */
public final class MemoryImage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemoryImage.class);

    /** Where {@link #findFreeRange} looks for room: canonical user space, above where processes map things. */
    static final long FREE_WINDOW_START = 0x6000_0000_0000L;

    static final long FREE_WINDOW_END = 0x7fff_ffff_0000L;

    private final Unicorn unicorn;
    private final Path corePath;
    private final TreeMap<Long, ImageRegion> regions = new TreeMap<>(Long::compareUnsigned);
    private final TreeMap<Long, UnbackedRange> unbacked = new TreeMap<>(Long::compareUnsigned);
    private final List<BasePatch> basePatches = new ArrayList<>();
    private final PageSet writtenThroughApi = new PageSet();
    private final List<ProtectionChange> protectionChanges = new ArrayList<>();
    private PageMap pageMap;

    private record BasePatch(long address, byte[] bytes) {}

    private MemoryImage(Unicorn unicorn, Path corePath) {
        this.unicorn = unicorn;
        this.corePath = corePath;
    }

    /** Maps the core's memory into {@code unicorn}, with the files {@link CoreDump#mappedRegions()} resolved. */
    public static MemoryImage load(Unicorn unicorn, CoreDump core) {
        return load(unicorn, core, core.mappedRegions());
    }

    /** As {@link #load(Unicorn, CoreDump)}, with the file-backed regions given explicitly. */
    public static MemoryImage load(Unicorn unicorn, CoreDump core, List<MappedRegion> mappedRegions) {
        long started = System.nanoTime();
        ImagePlan plan = new ImagePlanner(core.path(), mappedRegions, MemoryImage::sizeOf).plan(core.segments());
        MemoryImage image = new MemoryImage(unicorn, core.path());
        try {
            image.mapPlan(plan);
        } catch (RuntimeException e) {
            image.close();
            throw e;
        }
        log.debug(
                "mapped {} regions of {} in {} µs; {} ranges unbacked",
                image.regions.size(),
                core.path(),
                (System.nanoTime() - started) / 1000,
                image.unbacked.size());
        return image;
    }

    private void mapPlan(ImagePlan plan) {
        for (UnbackedRange range : plan.unbacked()) {
            unbacked.put(range.start(), range);
        }
        Map<Path, ReadOnlyFile> openFiles = new HashMap<>();
        try {
            for (PlannedRegion planned : plan.mapped()) {
                HostMapping host = planned.file() == null
                        ? HostMapping.anonymous(planned.size())
                        : HostMapping.ofFile(
                                openFiles.computeIfAbsent(planned.file(), ReadOnlyFile::open),
                                planned.fileOffset(),
                                planned.size());
                try {
                    unicorn.mapMemoryPointer(planned.start(), planned.size(), planned.perms(), host.address());
                } catch (UnicornException e) {
                    host.close();
                    log.warn(
                            "cannot map [0x{}-0x{}) from {}: {}",
                            Long.toHexString(planned.start()),
                            Long.toHexString(planned.end()),
                            planned.origin(),
                            e.getMessage());
                    unbacked.put(
                            planned.start(),
                            new UnbackedRange(
                                    planned.start(),
                                    planned.end(),
                                    MemoryProtection.toRwx(planned.perms()),
                                    UnbackedRange.Reason.UNMAPPABLE,
                                    e.getMessage()));
                    continue;
                }
                regions.put(
                        planned.start(),
                        new ImageRegion(
                                planned.start(),
                                planned.end(),
                                planned.perms(),
                                planned.source(),
                                planned.origin(),
                                planned.fileOffset(),
                                host,
                                RegionLifetime.BASE));
            }
        } finally {
            // The mappings keep their own reference to the files.
            openFiles.values().forEach(ReadOnlyFile::close);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file + " to map it", e);
        }
    }

    public Unicorn unicorn() {
        return unicorn;
    }

    /** Every mapped region, in address order. */
    public List<ImageRegion> regions() {
        return List.copyOf(regions.values());
    }

    /** Process memory left unmapped because nothing backs it, in address order. */
    public List<UnbackedRange> unbackedRanges() {
        return List.copyOf(unbacked.values());
    }

    public Optional<ImageRegion> regionAt(long address) {
        Map.Entry<Long, ImageRegion> entry = regions.floorEntry(address);
        return entry != null && entry.getValue().contains(address) ? Optional.of(entry.getValue()) : Optional.empty();
    }

    public Optional<UnbackedRange> unbackedAt(long address) {
        Map.Entry<Long, UnbackedRange> entry = unbacked.floorEntry(address);
        return entry != null && entry.getValue().contains(address) ? Optional.of(entry.getValue()) : Optional.empty();
    }

    /**
     * One line about {@code address}: where its bytes come from, or why there are none, e.g. "0x7f… lies
     * in /usr/lib/libfoo.so [0x…-0x…) which is MISSING on this machine: pass --sysroot or --map".
     */
    public String describe(long address) {
        Optional<ImageRegion> region = regionAt(address);
        if (region.isPresent()) {
            ImageRegion r = region.get();
            return "0x" + Long.toHexString(address) + " is mapped: " + r;
        }
        Optional<UnbackedRange> missing = unbackedAt(address);
        if (missing.isPresent()) {
            return missing.get().explain(address);
        }
        return "0x" + Long.toHexString(address) + " was not mapped in the process" + nearestBelow(address);
    }

    private String nearestBelow(long address) {
        Map.Entry<Long, ImageRegion> below = regions.floorEntry(address);
        return below == null ? "" : " (nearest mapping below: " + below.getValue() + ")";
    }

    // ---- reading and writing ------------------------------------------------------------------------

    public byte[] read(long address, int length) {
        try {
            return unicorn.readMemory(address, length);
        } catch (UnicornException e) {
            long bad = firstUnmapped(address, length);
            throw new MemoryAccessException(
                    bad,
                    "cannot read " + length + " bytes at 0x" + Long.toHexString(address) + ": " + describe(bad),
                    e);
        }
    }

    /**
     * Writes through unicorn (permissions do not apply: a debugger may write text) and remembers the
     * pages so that restores revert them even in read-only regions.
     */
    public void write(long address, byte[] bytes) {
        try {
            unicorn.writeMemory(address, bytes);
            dropTranslations(address, address + bytes.length);
        } catch (UnicornException e) {
            long bad = firstUnmapped(address, bytes.length);
            throw new MemoryAccessException(
                    bad,
                    "cannot write " + bytes.length + " bytes at 0x" + Long.toHexString(address) + ": " + describe(bad),
                    e);
        } finally {
            // Even a failed write may have changed the pages before the unmapped one.
            writtenThroughApi.addRange(address, bytes.length);
        }
    }

    /**
     * uc_mem_write in unicorn 2.0.1 does not invalidate translated code on the pages it writes
     * (measured: a patched function kept running its old translation), so writes to code do it here.
     */
    private void dropTranslations(long start, long end) {
        long cursor = start;
        while (Long.compareUnsigned(cursor, end) < 0) {
            Optional<ImageRegion> region = regionAt(cursor);
            if (region.isEmpty()) {
                return;
            }
            long partEnd = Math.min(end, region.get().end());
            if (MemoryProtection.isExecutable(region.get().basePerms()) || !protectionChanges.isEmpty()) {
                unicorn.removeTranslationCache(cursor, partEnd);
            }
            cursor = partEnd;
        }
    }

    /** Writes a load-time patch that becomes part of the base: restores re-apply it. */
    public void writeBase(long address, byte[] bytes) {
        write(address, bytes);
        basePatches.add(new BasePatch(address, bytes.clone()));
    }

    private long firstUnmapped(long address, int length) {
        long cursor = address;
        while (Long.compareUnsigned(cursor, address + length) < 0) {
            Optional<ImageRegion> region = regionAt(cursor);
            if (region.isEmpty()) {
                return cursor;
            }
            cursor = region.get().end();
        }
        return address;
    }

    // ---- memory created during calls ----------------------------------------------------------------

    /**
     * A free page-aligned range of {@code size} bytes: outside every mapped region and every unbacked
     * range (where a missing library lives must stay free, so faults there keep their explanation).
     */
    public long findFreeRange(long size) {
        long needed = PageSize.alignUp(size);
        long candidate = FREE_WINDOW_START;
        List<long[]> occupied = new ArrayList<>();
        unicorn.regions().forEach(r -> occupied.add(new long[] {r.begin(), r.end()}));
        unbacked.values().forEach(u -> occupied.add(new long[] {u.start(), u.end()}));
        occupied.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        for (long[] range : occupied) {
            if (Long.compareUnsigned(range[1], candidate) <= 0) {
                continue;
            }
            if (Long.compareUnsigned(range[0], candidate + needed) >= 0) {
                break;
            }
            candidate = PageSize.alignUp(range[1]);
        }
        if (candidate + needed > FREE_WINDOW_END) {
            throw new IllegalStateException("no free range of 0x" + Long.toHexString(needed) + " bytes between 0x"
                    + Long.toHexString(FREE_WINDOW_START) + " and 0x" + Long.toHexString(FREE_WINDOW_END));
        }
        return candidate;
    }

    /** Maps zero pages created during a call (emulated mmap, scratch): {@link #restoreBase()} unmaps them. */
    public void mapAnonymous(long address, long size, int perms) {
        mapAnonymous(address, size, perms, RegionLifetime.SINCE_BASE);
    }

    /** Maps zero pages that belong to the base image (e.g. the call stack): restores zero them, never unmap them. */
    public void mapBaseAnonymous(long address, long size, int perms) {
        mapAnonymous(address, size, perms, RegionLifetime.BASE);
    }

    /**
     * Maps zero pages owned by the debugger side (scratch memory, lldb's allocations) that survive every
     * restore, until {@link #unmap} removes them.
     */
    public void mapPersistentAnonymous(long address, long size, int perms) {
        mapAnonymous(address, size, perms, RegionLifetime.PERSISTENT);
    }

    /**
     * Makes the region an emulated mmap created at {@code address} survive restores from now on (lldb keeps
     * the memory it had the process mmap for its JIT code). Returns false when no such region starts there.
     */
    public boolean persist(long address) {
        ImageRegion region = regions.get(address);
        if (region == null || region.lifetime() != RegionLifetime.SINCE_BASE) {
            return false;
        }
        regions.put(
                address,
                new ImageRegion(
                        region.start(),
                        region.end(),
                        region.basePerms(),
                        region.source(),
                        region.origin(),
                        region.originOffset(),
                        region.host(),
                        RegionLifetime.PERSISTENT));
        return true;
    }

    /** Finds room with {@link #findFreeRange} and maps zero pages there; returns the address. */
    public long allocateAnonymous(long size, int perms) {
        long address = findFreeRange(size);
        mapAnonymous(address, PageSize.alignUp(size), perms);
        return address;
    }

    private void mapAnonymous(long address, long size, int perms, RegionLifetime lifetime) {
        if (!PageSize.isAligned(address) || !PageSize.isAligned(size) || size <= 0) {
            throw new IllegalArgumentException("anonymous regions are whole pages: 0x" + Long.toHexString(address)
                    + " size 0x" + Long.toHexString(size));
        }
        long end = address + size;
        for (ImageRegion region : regions.values()) {
            if (Long.compareUnsigned(region.start(), end) < 0 && Long.compareUnsigned(address, region.end()) < 0) {
                throw new IllegalArgumentException(
                        "cannot map [0x" + Long.toHexString(address) + "-0x" + Long.toHexString(end) + "): it overlaps "
                                + region + "; use findFreeRange for a free address");
            }
        }
        for (UnbackedRange range : unbacked.values()) {
            if (Long.compareUnsigned(range.start(), end) < 0 && Long.compareUnsigned(address, range.end()) < 0) {
                throw new IllegalArgumentException("cannot map [0x" + Long.toHexString(address) + "-0x"
                        + Long.toHexString(end) + "): " + range.explain(Math.max(address, range.start()))
                        + "; use findFreeRange for a free address");
            }
        }
        HostMapping host = HostMapping.anonymous(size);
        try {
            unicorn.mapMemoryPointer(address, size, perms, host.address());
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
        regions.put(
                address, new ImageRegion(address, end, perms, RegionSource.ANONYMOUS, "anonymous", 0, host, lifetime));
    }

    /**
     * Unmaps a whole region made by {@link #mapAnonymous} or {@link #mapPersistentAnonymous}; the core's
     * own memory cannot be unmapped.
     */
    public void unmap(long address, long size) {
        ImageRegion region = regions.get(address);
        if (region == null || region.size() != size || region.partOfBase()) {
            throw new IllegalArgumentException(
                    "cannot unmap [0x" + Long.toHexString(address) + "-0x" + Long.toHexString(address + size)
                            + "): only whole regions created by mapAnonymous or mapPersistentAnonymous can be unmapped; "
                            + describe(address));
        }
        removeRegion(region);
    }

    private void removeRegion(ImageRegion region) {
        unicorn.unmapMemory(region.start(), region.size());
        region.host().close();
        regions.remove(region.start());
    }

    /** Changes unicorn permissions (emulated mprotect); restores undo it. */
    public void protect(long address, long size, int perms) {
        unicorn.protectMemory(address, size, perms);
        protectionChanges.add(new ProtectionChange(address, address + size, perms));
    }

    // ---- restores and snapshots ---------------------------------------------------------------------

    /** Reverts memory to the base image (crash image plus {@link #writeBase} patches). */
    public void restoreBase() {
        List<long[]> discarded = new ArrayList<>();
        for (ImageRegion region : List.copyOf(regions.values())) {
            if (region.lifetime() == RegionLifetime.SINCE_BASE) {
                removeRegion(region);
            }
        }
        for (ProtectionChange change : protectionChanges) {
            forEachBasePart(change.start(), change.end(), (region, start, end) -> {
                unicorn.protectMemory(start, end - start, region.basePerms());
                if (MemoryProtection.isWritable(change.perms()) && !MemoryProtection.isWritable(region.basePerms())) {
                    discard(region, start, end, discarded);
                }
                if (MemoryProtection.isExecutable(change.perms())
                        || MemoryProtection.isExecutable(region.basePerms())) {
                    unicorn.removeTranslationCache(start, end);
                }
            });
        }
        protectionChanges.clear();
        for (ImageRegion region : regions.values()) {
            if (region.partOfBase() && MemoryProtection.isWritable(region.basePerms())) {
                discard(region, region.start(), region.end(), discarded);
                if (MemoryProtection.isExecutable(region.basePerms())) {
                    unicorn.removeTranslationCache(region.start(), region.end());
                }
            }
        }
        for (long[] run : writtenThroughApi.runs()) {
            forEachBasePart(run[0], run[1], (region, start, end) -> {
                if (!MemoryProtection.isWritable(region.basePerms())) {
                    discard(region, start, end, discarded);
                    if (MemoryProtection.isExecutable(region.basePerms())) {
                        unicorn.removeTranslationCache(start, end);
                    }
                }
            });
        }
        writtenThroughApi.clear();
        reapplyBasePatches(discarded);
    }

    private void discard(ImageRegion region, long start, long end, List<long[]> discarded) {
        long[] reverted = region.host().discard(start - region.start(), end - start);
        discarded.add(new long[] {region.start() + reverted[0], region.start() + reverted[1]});
    }

    /** Re-writes the patches whose bytes the revert dropped; untouched patched code keeps its translations. */
    private void reapplyBasePatches(List<long[]> discarded) {
        for (BasePatch patch : basePatches) {
            long patchEnd = patch.address() + patch.bytes().length;
            for (long[] range : discarded) {
                if (Long.compareUnsigned(range[0], patchEnd) < 0
                        && Long.compareUnsigned(patch.address(), range[1]) < 0) {
                    unicorn.writeMemory(patch.address(), patch.bytes());
                    // Not tracked as an API write: it is part of the base.
                    dropTranslations(patch.address(), patchEnd);
                    break;
                }
            }
        }
    }

    @FunctionalInterface
    private interface RegionPart {
        void accept(ImageRegion region, long start, long end);
    }

    /** Calls {@code action} for each part of [start, end) inside a base region. */
    private void forEachBasePart(long start, long end, RegionPart action) {
        Long from = regions.floorKey(start);
        for (ImageRegion region :
                regions.tailMap(from == null ? start : from, true).values()) {
            if (Long.compareUnsigned(region.start(), end) >= 0) {
                break;
            }
            long partStart = Math.max(start, region.start());
            long partEnd = Math.min(end, region.end());
            if (region.partOfBase() && Long.compareUnsigned(partStart, partEnd) < 0) {
                action.accept(region, partStart, partEnd);
            }
        }
    }

    /**
     * Captures how memory differs from the base, for a named snapshot: the regions created since the
     * base, the protection changes and a copy of every written page of the writable regions (from
     * pagemap), of pages written through the API, and of the regions created since the base.
     */
    public MemoryState capture() {
        if (pageMap == null) {
            pageMap = new PageMap();
        }
        Map<Long, byte[]> pages = new TreeMap<>(Long::compareUnsigned);
        List<long[]> created = new ArrayList<>();
        for (ImageRegion region : regions.values()) {
            if (region.lifetime() == RegionLifetime.SINCE_BASE) {
                created.add(new long[] {region.start(), region.end(), region.basePerms()});
                copyWrittenPages(region, region.start(), region.end(), pages);
            } else if (region.partOfBase() && MemoryProtection.isWritable(region.basePerms())) {
                copyWrittenPages(region, region.start(), region.end(), pages);
            }
        }
        List<long[]> alsoChanged = new ArrayList<>(writtenThroughApi.runs());
        for (ProtectionChange change : protectionChanges) {
            if (MemoryProtection.isWritable(change.perms())) {
                alsoChanged.add(new long[] {change.start(), change.end()});
            }
        }
        for (long[] run : alsoChanged) {
            forEachBasePart(run[0], run[1], (region, start, end) -> copyWrittenPages(region, start, end, pages));
        }
        return new MemoryState(List.copyOf(created), List.copyOf(protectionChanges), pages);
    }

    private void copyWrittenPages(ImageRegion region, long start, long end, Map<Long, byte[]> pages) {
        com.sun.jna.Pointer data = region.host().pointer();
        region.host().forEachWrittenPage(pageMap, start - region.start(), end - start, dataOffset -> {
            // A host page of a skewed mapping overlaps two guest pages: take both.
            long from = Math.max(start, region.start() + dataOffset);
            long to = Math.min(end, region.start() + dataOffset + PageSize.BYTES);
            for (long page = PageSize.alignDown(from); page < to; page += PageSize.BYTES) {
                long pageOffset = page - region.start();
                pages.computeIfAbsent(page, p -> data.getByteArray(pageOffset, (int) PageSize.BYTES));
            }
        });
    }

    /** Restores memory to a captured state: the base, then the state's regions, protections and pages. */
    public void restore(MemoryState state) {
        restoreBase();
        for (long[] region : state.anonymousRegions()) {
            if (regionAt(region[0])
                    .map(r -> r.lifetime() == RegionLifetime.PERSISTENT)
                    .orElse(false)) {
                continue; // made persistent since the capture (a debugger kept it): it is already there
            }
            mapAnonymous(region[0], region[1] - region[0], (int) region[2]);
        }
        for (ProtectionChange change : state.protectionChanges()) {
            protect(change.start(), change.end() - change.start(), change.perms());
        }
        // Through unicorn, so that it drops translations of code on these pages by itself.
        state.changedPages().forEach(this::write);
    }

    /** Unmaps everything from unicorn (if still open) and from this process. */
    @Override
    public void close() {
        for (ImageRegion region : List.copyOf(regions.values())) {
            try {
                unicorn.unmapMemory(region.start(), region.size());
            } catch (IllegalStateException engineClosed) {
                // Closing the engine released its view of the host memory already.
            }
            region.host().close();
        }
        regions.clear();
        if (pageMap != null) {
            pageMap.close();
        }
    }
}
