package io.coredumptools.emulator.memory;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.ProgramHeader;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.elfcore.source.FileSource;
import io.coredumptools.elfcore.source.FileSources;
import io.coredumptools.elfcore.source.SourceException;
import io.coredumptools.emulator.nativeio.HostMapping;
import io.coredumptools.emulator.nativeio.PageMap;
import io.coredumptools.emulator.nativeio.PageSize;
import io.coredumptools.emulator.nativeio.ReadOnlyFile;
import io.coredumptools.emulator.unicorn.MemoryAccessType;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.UnicornException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crashed process's address space inside a unicorn engine, built without reading or copying the
 * core: every region is a MAP_PRIVATE mmap of the core (or of a mapped file) handed to unicorn with
 * {@code uc_mem_map_ptr}, so a page is read from disk only when the emulation touches it, and writes go
 * to private copies of pages.
 *
 * <p><b>The base and restores.</b> The base is the crash image plus the base writes ({@link #writeBase}: the
 * load-time patches and the debugger's writes outside calls). {@link #restoreBase()} reverts everything else:
 * MADV_DONTNEED over every writable region (the private copies vanish, the file's bytes show again; the cost
 * follows the pages populated, not the region size), the same over the pages written through {@link #write} in
 * read-only regions, re-applies the base writes the revert hit, unmaps regions created since, undoes
 * {@link #protect} calls and drops reverted code from unicorn's translation cache. Emulated writes need no tracking
 * for this: they can only land in writable regions, which are reverted whole.
 *
 * <p><b>What changed since the last restore</b> ({@link #writtenSinceRestore}, {@link #createdSinceRestore},
 * {@link #capture()}) is read from /proc/self/pagemap for the page asked about, where a present page without the
 * file bit is a private copy (see {@link PageMap}), rather than with a UC_HOOK_MEM_WRITE hook, which would send
 * every emulated store through a Java callback for the whole life of the engine.
 *
 * <p><b>Cut cores.</b> Memory a truncated core lacks stays unreadable, with an explanation; a write there (by a
 * call or the debugger) maps a fresh zeroed page first, so a call can run on a cut stack.
 *
 * <p><b>Remote files.</b> A region whose file is a remote object's cache file (see {@link FileSources}) is mapped
 * on the host as any other, but into unicorn block by block on first touch, after its bytes are fetched
 * ({@link LazyRemoteRegions}): the image stays lazy and copy-on-write, and a hole is never read as zeros.
 *
 * <p>All API writes must go through this class (not {@link Unicorn#writeMemory} directly), or restores
 * will not know to revert them in read-only regions. Not thread-safe, like unicorn.
 */
public final class MemoryImage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemoryImage.class);

    /** Where {@link #findFreeRange} looks for room: canonical user space, above where processes map things. */
    static final long FREE_WINDOW_START = 0x6000_0000_0000L;

    static final long FREE_WINDOW_END = 0x7fff_ffff_0000L;

    /**
     * Where {@link #findFreeRange} looks when the window is full (a corrupt core's mapping can cover it): the rest
     * of user space, above Linux's default mmap_min_addr.
     */
    static final long LOW_WINDOW_START = 0x1_0000L;

    private static final int PAGE = (int) PageSize.BYTES;

    private final Unicorn unicorn;
    private final Path corePath;
    private final TreeMap<Long, ImageRegion> regions = new TreeMap<>(Long::compareUnsigned);
    private final TreeMap<Long, UnbackedRange> unbacked = new TreeMap<>(Long::compareUnsigned);
    private final BaseWrites baseWrites = new BaseWrites();
    private final PageSet writtenThroughApi = new PageSet();
    private final List<ProtectionChange> protectionChanges = new ArrayList<>();
    private final LazyRemoteRegions lazyRemote = new LazyRemoteRegions();
    private MemoryLimits limits = MemoryLimits.defaults();
    /** Bytes of regions created since the base (emulated mmap, brk, pages written into a cut core). */
    private long createdBytes;

    private PageMap pageMap;

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
        ImagePlan plan = plan(core, mappedRegions);
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

    /** Where the crash image's bytes come from: the plan every engine and the {@link CrashImage} follow. */
    static ImagePlan plan(CoreDump core, List<MappedRegion> mappedRegions) {
        return new ImagePlanner(core.path(), mappedRegions, MemoryImage::sizeOf, new FilePermissions())
                .plan(core.segments());
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
                Optional<FileSource> remote = planned.file() == null
                        ? Optional.empty()
                        : FileSources.find(planned.file()).filter(source -> !source.isComplete());
                try {
                    if (remote.isEmpty()) {
                        unicorn.mapMemoryPointer(planned.start(), planned.size(), planned.perms(), host.address());
                    }
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
                ImageRegion region = new ImageRegion(
                        planned.start(),
                        planned.end(),
                        planned.perms(),
                        planned.source(),
                        planned.origin(),
                        planned.fileOffset(),
                        host,
                        RegionLifetime.BASE,
                        planned.file());
                regions.put(planned.start(), region);
                remote.ifPresent(source -> lazyRemote.add(region, source));
            }
        } finally {
            // The mappings keep their own reference to the files.
            openFiles.values().forEach(ReadOnlyFile::close);
        }
    }

    /** The permissions an ELF file's own PT_LOAD gives the bytes at an offset (r-- for data files), cached per file. */
    private static final class FilePermissions implements BiFunction<Path, Long, String> {
        private final Map<Path, List<ProgramHeader>> headers = new HashMap<>();

        @Override
        public String apply(Path file, Long offset) {
            List<ProgramHeader> loads = headers.computeIfAbsent(file, f -> {
                try (ElfFile elf = ElfFile.open(f)) {
                    return elf.programHeaders().stream()
                            .filter(h -> h.type() == ProgramHeader.PT_LOAD)
                            .toList();
                } catch (CoreFormatException | RuntimeException notElf) {
                    return List.of();
                }
            });
            for (ProgramHeader h : loads) {
                long start = h.offset() & ~(PageSize.BYTES - 1);
                if (offset >= start && offset < h.offset() + Math.max(h.fileSize(), 1)) {
                    return h.permissions();
                }
            }
            return "r--";
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

    public MemoryLimits limits() {
        return limits;
    }

    public void setLimits(MemoryLimits newLimits) {
        this.limits = newLimits;
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
            Optional<String> failure = lazyRemote.failure(address);
            if (failure.isPresent()) {
                return "0x" + Long.toHexString(address) + " lies in " + r + " whose bytes could not be fetched: "
                        + failure.get();
            }
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
        fetchRemote(address, length, "read");
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
     * pages so that restores revert them even in read-only regions. Bytes a cut core lacks get a fresh zeroed page
     * first, created since the base.
     */
    public void write(long address, byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        materializeCutPages(address, bytes.length, RegionLifetime.SINCE_BASE);
        fetchRemote(address, bytes.length, "write");
        try {
            unicorn.writeMemory(address, bytes);
            dropTranslations(address, PageSize.endOf(address, bytes.length));
            writtenThroughApi.addRange(address, bytes.length);
        } catch (UnicornException e) {
            long bad = firstUnmapped(address, bytes.length);
            // The pages before the unmapped one may have changed: a restore must revert them.
            writtenThroughApi.addRange(address, bad - address);
            throw new MemoryAccessException(
                    bad,
                    "cannot write " + bytes.length + " bytes at 0x" + Long.toHexString(address) + ": " + describe(bad),
                    e);
        }
    }

    /**
     * uc_mem_write in unicorn 2.0.1 does not invalidate translated code on the pages it writes
     * (measured: a patched function kept running its old translation), so writes to code do it here.
     *
     * @param end the end of the range, 0 for the top of the address space
     */
    private void dropTranslations(long start, long end) {
        long cursor = start;
        while (end == 0 || Long.compareUnsigned(cursor, end) < 0) {
            Optional<ImageRegion> region = regionAt(cursor);
            if (region.isEmpty()) {
                return;
            }
            long partEnd =
                    end == 0 ? region.get().end() : umin(end, region.get().end());
            if (MemoryProtection.isExecutable(region.get().basePerms()) || !protectionChanges.isEmpty()) {
                unicorn.removeTranslationCache(cursor, partEnd);
            }
            cursor = partEnd;
            if (cursor == 0) {
                return;
            }
        }
    }

    /**
     * Writes bytes that become part of the base: restores keep them (load-time patches, and the debugger's writes
     * outside calls). In memory created since the base or owned by the debugger it is an ordinary write, since
     * restores unmap or never touch that memory.
     *
     * @throws ResourceLimitException when the base writes would hold more than {@link MemoryLimits#baseWriteBytes}
     */
    public void writeBase(long address, byte[] bytes) {
        writeBase(address, bytes, true);
    }

    /** A load-time patch: part of the base like {@link #writeBase}, but not counted against the limit. */
    public void writePatch(long address, byte[] bytes) {
        writeBase(address, bytes, false);
    }

    private void writeBase(long address, byte[] bytes, boolean counted) {
        if (bytes.length == 0) {
            return;
        }
        Optional<ImageRegion> region = regionAt(address);
        if (region.isPresent() && !region.get().partOfBase()) {
            write(address, bytes);
            return;
        }
        long added = counted ? baseWrites.newPages(address, bytes.length) * PAGE : 0;
        if (counted && baseWrites.heldBytes() + added > limits.baseWriteBytes()) {
            throw new ResourceLimitException(
                    "base write bytes",
                    limits.baseWriteBytes(),
                    baseWrites.heldBytes(),
                    "cannot keep a write of " + bytes.length + " bytes at 0x" + Long.toHexString(address)
                            + " in the base image",
                    "restore the crash image (monitor snapshot restore) to start over");
        }
        materializeCutPages(address, bytes.length, RegionLifetime.BASE);
        fetchRemote(address, bytes.length, "write");
        try {
            unicorn.writeMemory(address, bytes);
        } catch (UnicornException e) {
            long bad = firstUnmapped(address, bytes.length);
            throw new MemoryAccessException(
                    bad,
                    "cannot write " + bytes.length + " bytes at 0x" + Long.toHexString(address) + ": " + describe(bad),
                    e);
        }
        dropTranslations(address, PageSize.endOf(address, bytes.length));
        baseWrites.add(address, bytes, counted);
    }

    /** Bytes of pages the base writes hold (counted against {@link MemoryLimits#baseWriteBytes}). */
    public long baseWriteBytes() {
        return baseWrites.heldBytes();
    }

    private long firstUnmapped(long address, int length) {
        long cursor = address;
        long end = PageSize.endOf(address, length);
        while (end == 0 || Long.compareUnsigned(cursor, end) < 0) {
            Optional<ImageRegion> region = regionAt(cursor);
            if (region.isEmpty()) {
                return cursor;
            }
            cursor = region.get().end();
            if (cursor == 0) {
                break;
            }
        }
        return address;
    }

    /**
     * Maps into unicorn the blocks of remote regions that [address, address+length) touches, fetching their bytes.
     *
     * @throws MemoryAccessException the bytes could not be fetched (the message says from where and why)
     */
    private void fetchRemote(long address, long length, String what) {
        try {
            lazyRemote.materialize(unicorn, address, length);
        } catch (SourceException e) {
            throw new MemoryAccessException(
                    address,
                    "cannot " + what + " " + length + " bytes at 0x" + Long.toHexString(address) + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** Bytes of remote regions mapped into unicorn so far, and of all remote regions: how lazy the image is. */
    public long[] remoteBytesMapped() {
        return new long[] {lazyRemote.mappedBytes(), lazyRemote.lazyBytes()};
    }

    // ---- cut cores ----------------------------------------------------------------------------------

    /**
     * Maps fresh zeroed pages for the pages of [address, address+length) that a truncated core lacks (and nothing
     * maps yet), so that they can be written. Returns whether it mapped any.
     */
    private boolean materializeCutPages(long address, long length, RegionLifetime lifetime) {
        boolean mapped = false;
        long first = PageSize.alignDown(address);
        long pages = PageSize.pagesSpanned(address, length);
        for (long i = 0; i < pages; i++) {
            long page = first + i * PAGE;
            Optional<UnbackedRange> cut = unbackedAt(page);
            if (cut.isEmpty()
                    || cut.get().reason() != UnbackedRange.Reason.TRUNCATED_CORE
                    || regionAt(page).isPresent()) {
                continue;
            }
            mapZeroPages(page, PAGE, MemoryProtection.fromRwx(cut.get().perms()), lifetime, "zero page (cut core)");
            mapped = true;
        }
        return mapped;
    }

    /**
     * For the runner's invalid-memory hook: an emulated write into bytes the core lacks gets a fresh zeroed page
     * (created since the base), and the write is retried. Reads stay faults.
     */
    public boolean resolveFault(MemoryAccessType type, long address, int size) {
        long last = address + Math.max(1, size) - 1;
        if (lazyRemote.isPending(address) || lazyRemote.isPending(last)) {
            try {
                return lazyRemote.materialize(unicorn, address, Math.max(1, size));
            } catch (SourceException e) {
                log.warn("0x{}: {}", Long.toHexString(address), e.getMessage());
                return false;
            }
        }
        if (type != MemoryAccessType.WRITE_UNMAPPED) {
            return false;
        }
        return materializeCutPages(address, Math.max(1, size), RegionLifetime.SINCE_BASE);
    }

    // ---- memory created during calls ----------------------------------------------------------------

    /**
     * A free page-aligned range of {@code size} bytes: outside every mapped region and every unbacked
     * range (where a missing library lives must stay free, so faults there keep their explanation).
     *
     * @throws IllegalStateException when the window has no such room
     */
    public long findFreeRange(long size) {
        long needed = PageSize.alignUp(size);
        if (size > 0 && needed > 0) {
            List<long[]> occupied = occupied();
            long found = freeRangeIn(occupied, needed, FREE_WINDOW_START, FREE_WINDOW_END);
            if (found < 0) {
                found = freeRangeIn(occupied, needed, LOW_WINDOW_START, FREE_WINDOW_START);
            }
            if (found >= 0) {
                return found;
            }
        }
        throw new IllegalStateException("no free range of 0x" + Long.toHexString(size) + " bytes between 0x"
                + Long.toHexString(LOW_WINDOW_START) + " and 0x" + Long.toHexString(FREE_WINDOW_END)
                + ": the core's mappings cover that address space");
    }

    /** The lowest free start for {@code needed} bytes in [start, end), or -1. */
    private static long freeRangeIn(List<long[]> occupied, long needed, long start, long end) {
        if (needed > end - start) {
            return -1;
        }
        long candidate = start;
        for (long[] range : occupied) {
            if (Long.compareUnsigned(range[1], candidate) <= 0) {
                continue;
            }
            if (Long.compareUnsigned(range[0], candidate) >= 0
                    && Long.compareUnsigned(range[0] - candidate, needed) >= 0) {
                break;
            }
            candidate = PageSize.alignUp(range[1]);
            if (Long.compareUnsigned(candidate, end) >= 0 || candidate == 0) {
                return -1; // past the window (or a range reaching the top of the address space)
            }
        }
        if (Long.compareUnsigned(candidate, end) > 0 || end - candidate < needed) {
            return -1;
        }
        return candidate;
    }

    private List<long[]> occupied() {
        List<long[]> occupied = new ArrayList<>();
        unicorn.regions().forEach(r -> occupied.add(new long[] {r.begin(), r.end()}));
        // Remote regions are in unicorn only where touched.
        regions.values().forEach(r -> occupied.add(new long[] {r.start(), r.end()}));
        unbacked.values().forEach(u -> occupied.add(new long[] {u.start(), u.end()}));
        occupied.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        return occupied;
    }

    /** The core this image is of (for messages). */
    public Path corePath() {
        return corePath;
    }

    /** Whether nothing is mapped or unbacked in [address, address+size) and the range does not wrap. */
    public boolean isFree(long address, long size) {
        long end = address + size;
        if (size <= 0 || Long.compareUnsigned(end, address) <= 0) {
            return false;
        }
        for (long[] range : occupied()) {
            if (Long.compareUnsigned(range[0], end) < 0 && Long.compareUnsigned(address, range[1]) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether every byte of [address, address+length) lies in a mapped region. */
    public boolean isMapped(long address, long length) {
        long cursor = address;
        long end = address + length;
        if (length <= 0 || Long.compareUnsigned(end, address) < 0) {
            return false;
        }
        while (Long.compareUnsigned(cursor, end) < 0) {
            Optional<ImageRegion> region = regionAt(cursor);
            if (region.isEmpty()) {
                return false;
            }
            cursor = region.get().end();
        }
        return true;
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
        regions.put(address, region.withLifetime(RegionLifetime.PERSISTENT));
        createdBytes -= region.size();
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
        if (Long.compareUnsigned(end, address) <= 0) {
            throw new IllegalArgumentException("cannot map [0x" + Long.toHexString(address) + "+0x"
                    + Long.toHexString(size) + "): it wraps past the top of the address space");
        }
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
                        + Long.toHexString(end) + "): " + range.explain(umax(address, range.start()))
                        + "; use findFreeRange for a free address");
            }
        }
        mapZeroPages(address, size, perms, lifetime, "anonymous");
    }

    private void mapZeroPages(long address, long size, int perms, RegionLifetime lifetime, String origin) {
        HostMapping host = HostMapping.anonymous(size);
        try {
            unicorn.mapMemoryPointer(address, size, perms, host.address());
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
        regions.put(
                address,
                new ImageRegion(
                        address, address + size, perms, RegionSource.ANONYMOUS, origin, 0, host, lifetime, null));
        if (lifetime == RegionLifetime.SINCE_BASE) {
            createdBytes += size;
        }
    }

    /** Bytes of memory created since the base by calls (emulated mmap, mremap, brk) and writes into a cut core. */
    public long createdBytes() {
        return createdBytes;
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

    /**
     * The emulated munmap: unmaps the pages of [address, address+length) in memory created since the base, splitting
     * regions it cuts. The core's memory and the debugger's stay mapped (a call must not lose what the next one may
     * read, and restores bring the base back anyway). Returns the bytes unmapped.
     */
    public long unmapCreated(long address, long length) {
        long start = PageSize.alignDown(address);
        long end = PageSize.alignUp(address + length);
        if (length <= 0 || Long.compareUnsigned(end, start) <= 0) {
            return 0;
        }
        long unmapped = 0;
        for (ImageRegion region : overlapping(start, end)) {
            if (region.lifetime() != RegionLifetime.SINCE_BASE) {
                continue;
            }
            long cutStart = umax(start, region.start());
            long cutEnd = umin(end, region.end());
            unicorn.unmapMemory(cutStart, cutEnd - cutStart);
            regions.remove(region.start());
            region.host().discard(cutStart - region.start(), cutEnd - cutStart);
            if (Long.compareUnsigned(region.start(), cutStart) < 0) {
                putSlice(region, region.start(), cutStart);
            }
            if (Long.compareUnsigned(cutEnd, region.end()) < 0) {
                putSlice(region, cutEnd, region.end());
            }
            region.host().release();
            createdBytes -= cutEnd - cutStart;
            unmapped += cutEnd - cutStart;
        }
        return unmapped;
    }

    private void putSlice(ImageRegion whole, long start, long end) {
        HostMapping slice = whole.host().slice(start - whole.start(), end - start);
        regions.put(
                start,
                new ImageRegion(
                        start,
                        end,
                        whole.basePerms(),
                        whole.source(),
                        whole.origin(),
                        whole.originOffset() + (start - whole.start()),
                        slice,
                        whole.lifetime(),
                        whole.file()));
    }

    /** The regions overlapping [start, end), in address order. */
    private List<ImageRegion> overlapping(long start, long end) {
        List<ImageRegion> result = new ArrayList<>();
        Long from = regions.floorKey(start);
        for (ImageRegion region :
                regions.tailMap(from == null ? start : from, true).values()) {
            if (Long.compareUnsigned(region.start(), end) >= 0) {
                break;
            }
            if (Long.compareUnsigned(region.end(), start) > 0) {
                result.add(region);
            }
        }
        return result;
    }

    private void removeRegion(ImageRegion region) {
        unicorn.unmapMemory(region.start(), region.size());
        region.host().close();
        regions.remove(region.start());
        if (region.lifetime() == RegionLifetime.SINCE_BASE) {
            createdBytes -= region.size();
        }
    }

    /**
     * Changes permissions (the emulated mprotect) of [address, address+size), which must be mapped (see
     * {@link #isMapped}); restores undo it for the base's memory.
     */
    public void protect(long address, long size, int perms) {
        fetchRemote(address, size, "change the protection of");
        unicorn.protectMemory(address, size, perms);
        protectionChanges.add(new ProtectionChange(address, address + size, perms));
        if (MemoryProtection.isExecutable(perms)) {
            for (ImageRegion region : overlapping(address, address + size)) {
                unicorn.removeTranslationCache(umax(address, region.start()), umin(address + size, region.end()));
            }
        }
    }

    /**
     * The emulated madvise(MADV_DONTNEED) on private anonymous memory: [address, address+length), which must be
     * mapped, reads as zeros afterwards. Created memory drops its pages; the base's memory is written with zeros
     * (a restore brings its crash contents back).
     */
    public void zero(long address, long length) {
        fetchRemote(address, length, "zero");
        for (ImageRegion region : overlapping(address, address + length)) {
            long start = umax(address, region.start());
            long end = umin(address + length, region.end());
            if (region.lifetime() == RegionLifetime.SINCE_BASE) {
                region.host().discard(start - region.start(), end - start);
            } else {
                byte[] zeros = new byte[(int) Math.min(end - start, 1 << 20)];
                for (long at = start; Long.compareUnsigned(at, end) < 0; at += zeros.length) {
                    int n = (int) Math.min(zeros.length, end - at);
                    unicorn.writeMemory(at, n == zeros.length ? zeros : new byte[n]);
                }
            }
            dropTranslations(start, end);
        }
    }

    /**
     * Copies {@code length} bytes from {@code from} to {@code to} inside the image (the emulated mremap moving a
     * mapping), in chunks.
     */
    public void copy(long from, long to, long length) {
        fetchRemote(from, length, "copy");
        fetchRemote(to, length, "copy");
        byte[] chunk = new byte[(int) Math.min(length, 1 << 20)];
        for (long done = 0; done < length; done += chunk.length) {
            int n = (int) Math.min(chunk.length, length - done);
            byte[] bytes = n == chunk.length ? chunk : new byte[n];
            unicorn.readMemory(from + done, bytes);
            unicorn.writeMemory(to + done, bytes);
        }
    }

    /** The permissions unicorn enforces at {@code address} now (after any mprotect), or empty when unmapped. */
    public Optional<Integer> permissionsAt(long address) {
        if (lazyRemote.isPending(address)) {
            return regionAt(address).map(ImageRegion::basePerms);
        }
        return unicorn.regions().stream()
                .filter(r ->
                        Long.compareUnsigned(address, r.begin()) >= 0 && Long.compareUnsigned(address, r.end()) < 0)
                .map(r -> r.perms())
                .findFirst();
    }

    // ---- what changed since the last restore ----------------------------------------------------------

    /** Whether the region holding {@code address} was created since the last restore (by a call, or a cut-core write). */
    public boolean createdSinceRestore(long address) {
        return regionAt(address)
                .map(r -> r.lifetime() == RegionLifetime.SINCE_BASE)
                .orElse(false);
    }

    /**
     * Whether the page holding {@code address} was written by emulated code or through {@link #write} since the
     * last restore, not counting base writes ({@link #writeBase}). From pagemap: a page of base memory is written
     * when it holds a private copy; a page that also holds base writes counts only when its contents differ from
     * the base's (the crash image with the base writes). A page of created or debugger memory counts once it has
     * memory behind it. False for unmapped addresses.
     */
    public boolean writtenSinceRestore(long address) {
        Optional<ImageRegion> found = regionAt(address);
        if (found.isEmpty()) {
            return false;
        }
        ImageRegion region = found.get();
        long page = PageSize.alignDown(address);
        if (region.lifetime() != RegionLifetime.BASE) {
            return pagePopulated(region, page);
        }
        boolean maybeWritten = writtenThroughApi.contains(page)
                || ((MemoryProtection.isWritable(region.basePerms()) || !protectionChanges.isEmpty())
                        && pagePopulated(region, page));
        if (!maybeWritten) {
            return false;
        }
        if (!baseWrites.covers(page)) {
            return true;
        }
        byte[] base = baseWrites.overlay(page, crashContents(region, page));
        return !Arrays.equals(base, unicorn.readMemory(page, PAGE));
    }

    /** Whether the host page behind guest {@code page} holds a private copy (written) or, for anonymous memory, any page. */
    private boolean pagePopulated(ImageRegion region, long page) {
        if (pageMap == null) {
            pageMap = new PageMap();
        }
        long offset = umax(page, region.start()) - region.start();
        long length = umin(page + PAGE, region.end()) - region.start() - offset;
        boolean[] written = {false};
        region.host().forEachWrittenPage(pageMap, offset, length, at -> written[0] = true);
        return written[0];
    }

    /** The bytes of {@code page} in the crash image: from the region's file, zeros for anonymous memory. */
    private byte[] crashContents(ImageRegion region, long page) {
        byte[] bytes = new byte[PAGE];
        if (region.file() == null) {
            return bytes;
        }
        long from = umax(page, region.start());
        long to = umin(page + PAGE, region.end());
        try (FileChannel channel = FileChannel.open(region.file(), StandardOpenOption.READ)) {
            FileSources.ensure(region.file(), region.originOffset() + (from - region.start()), to - from);
            ByteBuffer buffer = ByteBuffer.wrap(bytes, (int) (from - page), (int) (to - from));
            long position = region.originOffset() + (from - region.start());
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position + (buffer.position() - (from - page)));
                if (n < 0) {
                    break; // past the end of the file: zeros, as mmap shows them
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the crash contents of page 0x" + Long.toHexString(page) + " from " + region.file(), e);
        }
        return bytes;
    }

    // ---- restores and snapshots ---------------------------------------------------------------------

    /** Reverts memory to the base image (crash image plus {@link #writeBase} writes). */
    public void restoreBase() {
        List<long[]> discarded = new ArrayList<>();
        for (ImageRegion region : List.copyOf(regions.values())) {
            if (region.lifetime() == RegionLifetime.SINCE_BASE) {
                removeRegion(region);
            }
        }
        createdBytes = 0;
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
        for (long[] range : discarded) {
            // Not tracked as API writes: they are the base.
            baseWrites.reapply(range[0], range[1], (address, bytes) -> {
                unicorn.writeMemory(address, bytes);
                dropTranslations(address, address + bytes.length);
            });
        }
    }

    /**
     * Makes the base the crash image again (with the load-time patches): the debugger's base writes are forgotten,
     * and memory is restored to that base.
     */
    public void forgetBaseWrites() {
        restoreBase();
        List<long[]> discarded = new ArrayList<>();
        for (long page : baseWrites.forgetCounted()) {
            Optional<ImageRegion> region = regionAt(page);
            if (region.isPresent() && region.get().partOfBase()) {
                discard(
                        region.get(),
                        umax(page, region.get().start()),
                        umin(page + PAGE, region.get().end()),
                        discarded);
                unicorn.removeTranslationCache(page, page + PAGE);
            }
        }
        for (long[] range : discarded) {
            baseWrites.reapply(range[0], range[1], (address, bytes) -> {
                unicorn.writeMemory(address, bytes);
                dropTranslations(address, address + bytes.length);
            });
        }
    }

    private void discard(ImageRegion region, long start, long end, List<long[]> discarded) {
        long[] reverted = region.host().discard(start - region.start(), end - start);
        discarded.add(new long[] {region.start() + reverted[0], region.start() + reverted[1]});
    }

    @FunctionalInterface
    private interface RegionPart {
        void accept(ImageRegion region, long start, long end);
    }

    /** Calls {@code action} for each part of [start, end) inside a base region ({@code end} 0: the top). */
    private void forEachBasePart(long start, long end, RegionPart action) {
        long limit = end == 0 ? -1L : end;
        for (ImageRegion region : overlapping(start, limit)) {
            long partStart = umax(start, region.start());
            long partEnd = umin(limit, region.end());
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
            long from = umax(start, region.start() + dataOffset);
            long to = umin(end, region.start() + dataOffset + PageSize.BYTES);
            for (long page = PageSize.alignDown(from); Long.compareUnsigned(page, to) < 0; page += PageSize.BYTES) {
                long pageOffset = page - region.start();
                pages.computeIfAbsent(page, p -> data.getByteArray(pageOffset, PAGE));
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
            if (unbackedAt(region[0]).isPresent()) {
                mapZeroPages(
                        region[0],
                        region[1] - region[0],
                        (int) region[2],
                        RegionLifetime.SINCE_BASE,
                        "zero page (cut core)");
            } else {
                mapAnonymous(region[0], region[1] - region[0], (int) region[2]);
            }
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
                for (long[] part : lazyRemote.mappedParts(region)) {
                    unicorn.unmapMemory(part[0], part[1] - part[0]);
                }
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

    private static long umin(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    private static long umax(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
