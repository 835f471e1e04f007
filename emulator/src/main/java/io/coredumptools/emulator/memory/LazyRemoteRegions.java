package io.coredumptools.emulator.memory;

import io.coredumptools.elfcore.source.FileSource;
import io.coredumptools.elfcore.source.SourceException;
import io.coredumptools.emulator.unicorn.Unicorn;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base regions whose bytes come from a remote object (the core, or a mapped file, in a cache file whose chunks
 * are holes until fetched). Their host mapping exists from the start (a MAP_PRIVATE view of the cache file, as for
 * a local file), but unicorn sees a block of it only once the block's bytes are {@link FileSource#ensure ensured}:
 * the first touch of a block (emulated access through the invalid-memory hook, or a read or write through the
 * image) fetches its chunk(s) and maps it. So nothing is fetched before it is used, and no hole is ever read as
 * zeros. A block is the source's chunk size, aligned in the address space and clipped to the region; both are
 * multiples of the page size, so blocks are whole pages. Not thread-safe, like the image.
 */
final class LazyRemoteRegions {
    private static final Logger log = LoggerFactory.getLogger(LazyRemoteRegions.class);

    private static final class Lazy {
        final ImageRegion region;
        final FileSource source;
        final long blockSize;
        /** The address block 0 starts at: the region's start aligned down to the block size. */
        final long base;

        final BitSet mapped = new BitSet();

        Lazy(ImageRegion region, FileSource source) {
            this.region = region;
            this.source = source;
            this.blockSize = Math.max(4096, source.chunkSize());
            this.base = region.start() - Long.remainderUnsigned(region.start(), blockSize);
        }

        int block(long address) {
            return (int) ((address - base) / blockSize);
        }
    }

    private final TreeMap<Long, Lazy> regions = new TreeMap<>(Long::compareUnsigned);
    /** The last fetch that failed, by block start: what a fault there must say. */
    private final Map<Long, String> failures = new TreeMap<>(Long::compareUnsigned);

    void add(ImageRegion region, FileSource source) {
        regions.put(region.start(), new Lazy(region, source));
    }

    boolean isEmpty() {
        return regions.isEmpty();
    }

    /** Whether {@code address} lies in a lazy region (mapped in unicorn yet or not). */
    boolean covers(long address) {
        return find(address).isPresent();
    }

    /** Whether the block holding {@code address} is in a lazy region and not mapped in unicorn yet. */
    boolean isPending(long address) {
        Optional<Lazy> lazy = find(address);
        return lazy.isPresent() && !lazy.get().mapped.get(lazy.get().block(address));
    }

    /**
     * Fetches and maps every block of [address, address+length) in a lazy region that unicorn does not have yet.
     * Returns whether it mapped any.
     *
     * @throws SourceException a block's bytes could not be fetched (nothing of that block is mapped)
     */
    boolean materialize(Unicorn unicorn, long address, long length) throws SourceException {
        if (regions.isEmpty() || length <= 0) {
            return false;
        }
        long end = address + length;
        if (Long.compareUnsigned(end, address) < 0) {
            end = -1L;
        }
        boolean mappedAny = false;
        Map.Entry<Long, Lazy> entry = regions.floorEntry(address);
        Long from = entry == null ? address : entry.getKey();
        for (Lazy lazy : regions.tailMap(from, true).values()) {
            ImageRegion r = lazy.region;
            if (Long.compareUnsigned(r.start(), end) >= 0) {
                break;
            }
            if (Long.compareUnsigned(r.end(), address) <= 0) {
                continue;
            }
            long cursor = Long.compareUnsigned(address, r.start()) > 0 ? address : r.start();
            long stop = Long.compareUnsigned(end, r.end()) < 0 ? end : r.end();
            while (Long.compareUnsigned(cursor, stop) < 0) {
                int block = lazy.block(cursor);
                long blockStart = Math.max(r.start(), lazy.base + block * lazy.blockSize);
                long blockEnd = Math.min(r.end(), lazy.base + (block + 1) * lazy.blockSize);
                if (!lazy.mapped.get(block)) {
                    mapBlock(unicorn, lazy, blockStart, blockEnd);
                    lazy.mapped.set(block);
                    mappedAny = true;
                }
                cursor = blockEnd;
            }
        }
        return mappedAny;
    }

    private void mapBlock(Unicorn unicorn, Lazy lazy, long blockStart, long blockEnd) throws SourceException {
        ImageRegion r = lazy.region;
        try {
            lazy.source.ensure(r.originOffset() + (blockStart - r.start()), blockEnd - blockStart);
        } catch (SourceException e) {
            if (failures.put(blockStart, e.getMessage()) == null) {
                log.warn(
                        "memory [0x{}-0x{}) cannot be fetched: {}",
                        Long.toHexString(blockStart),
                        Long.toHexString(blockEnd),
                        e.getMessage());
            }
            throw e;
        }
        failures.remove(blockStart);
        unicorn.mapMemoryPointer(blockStart, blockEnd - blockStart, r.basePerms(), r.hostAddress(blockStart));
    }

    /** Why the block holding {@code address} has no bytes, when fetching it failed. */
    Optional<String> failure(long address) {
        Optional<Lazy> lazy = find(address);
        if (lazy.isEmpty()) {
            return Optional.empty();
        }
        Lazy l = lazy.get();
        long blockStart = Math.max(l.region.start(), l.base + l.block(address) * l.blockSize);
        return Optional.ofNullable(failures.get(blockStart));
    }

    /** The ranges of {@code region} unicorn has mapped: the whole region when it is not lazy. */
    List<long[]> mappedParts(ImageRegion region) {
        Lazy lazy = regions.get(region.start());
        if (lazy == null || lazy.region != region) {
            return List.of(new long[] {region.start(), region.end()});
        }
        List<long[]> parts = new ArrayList<>();
        for (int b = lazy.mapped.nextSetBit(0); b >= 0; b = lazy.mapped.nextSetBit(b + 1)) {
            long start = Math.max(region.start(), lazy.base + b * lazy.blockSize);
            long end = Math.min(region.end(), lazy.base + (b + 1) * lazy.blockSize);
            parts.add(new long[] {start, end});
        }
        return parts;
    }

    /** Bytes of lazy regions mapped in unicorn so far (for tests and figures). */
    long mappedBytes() {
        long total = 0;
        for (Lazy lazy : regions.values()) {
            for (long[] part : mappedParts(lazy.region)) {
                total += part[1] - part[0];
            }
        }
        return total;
    }

    /** Bytes of all lazy regions. */
    long lazyBytes() {
        return regions.values().stream().mapToLong(l -> l.region.size()).sum();
    }

    private Optional<Lazy> find(long address) {
        Map.Entry<Long, Lazy> entry = regions.floorEntry(address);
        return entry != null && entry.getValue().region.contains(address)
                ? Optional.of(entry.getValue())
                : Optional.empty();
    }
}
