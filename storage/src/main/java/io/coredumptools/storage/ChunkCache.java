package io.coredumptools.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk cache of remote objects, shared by every corestub process that names the same directory: one
 * {@link CacheEntry} per object version (the key hashes the object's identity, its ETag or Last-Modified, and its
 * size), evicted least recently used when the chunks stored exceed the size limit.
 *
 * <p>Layout: {@code DIR/v1/KEY/{data,chunks,lock,info}} and {@code DIR/v1/evict.lock}. Only entries no process
 * holds are evicted (an evictor needs the exclusive lock that every user's shared lock blocks), so the limit is
 * exceeded only by entries in use, and the evictor says so once.
 */
final class ChunkCache {
    private static final Logger log = LoggerFactory.getLogger(ChunkCache.class);
    /** Entries open in this JVM, by directory: one instance each (see {@link CacheEntry}). */
    private static final ConcurrentHashMap<Path, CacheEntry> OPEN = new ConcurrentHashMap<>();

    private static final Object REGISTRY = new Object();
    /** One evictor per JVM at a time: a second FileLock on evict.lock in one JVM would throw. */
    private static final ReentrantLock EVICTING = new ReentrantLock();

    private final Path root;
    private final long maxBytes;
    private final long evictionCheckBytes;
    private final AtomicLong writtenSinceCheck = new AtomicLong();
    private final AtomicBoolean warnedOverLimit = new AtomicBoolean();

    ChunkCache(Path directory, long maxBytes) throws IOException {
        this.root = directory.toAbsolutePath().normalize().resolve("v1");
        this.maxBytes = maxBytes;
        this.evictionCheckBytes = Math.max(1 << 20, Math.min(256L << 20, maxBytes / 16));
        Files.createDirectories(root);
    }

    Path root() {
        return root;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Opens (or creates) the entry for one object version; release it with {@link #release}. */
    CacheEntry open(String identity, ObjectVersion version, long chunkSize, String description) throws IOException {
        Path directory = root.resolve(key(identity, version));
        synchronized (REGISTRY) {
            CacheEntry open = OPEN.get(directory);
            if (open != null) {
                open.retain();
                return open;
            }
        }
        evictIfNeeded();
        String info = "location " + description + "\nversion " + version.validator() + "\nsize " + version.size()
                + "\nchunk-size " + chunkSize + "\n";
        synchronized (REGISTRY) {
            CacheEntry open = OPEN.get(directory);
            if (open != null) {
                open.retain();
                return open;
            }
            CacheEntry entry = CacheEntry.open(directory, version.size(), chunkSize, info);
            OPEN.put(directory, entry);
            return entry;
        }
    }

    void release(CacheEntry entry) {
        synchronized (REGISTRY) {
            if (!entry.releaseReference()) return;
            OPEN.remove(entry.directory(), entry);
            entry.closeFiles();
        }
    }

    /** Called after each chunk stored; now and then checks the limit. */
    void stored(long bytes) {
        if (writtenSinceCheck.addAndGet(bytes) >= evictionCheckBytes) {
            writtenSinceCheck.set(0);
            evictIfNeeded();
        }
    }

    static String key(String identity, ObjectVersion version) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(
                    (identity + "\n" + version.validator() + "\n" + version.size()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Total bytes stored in chunks, over all entries (what {@code --cache-size} limits). */
    long storedBytes() throws IOException {
        long total = 0;
        for (Candidate c : entries()) total += c.stored;
        return total;
    }

    private record Candidate(Path directory, long stored, long lastUsedMillis) {}

    private List<Candidate> entries() throws IOException {
        List<Candidate> entries = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, p -> Files.isDirectory(p))) {
            for (Path dir : dirs) {
                try {
                    long used = Files.getLastModifiedTime(dir.resolve(CacheEntry.LOCK))
                            .toMillis();
                    entries.add(new Candidate(dir, CacheEntry.storedBytes(dir), used));
                } catch (NoSuchFileException e) {
                    // Being created or deleted by another process right now.
                }
            }
        }
        return entries;
    }

    /**
     * Evicts least recently used entries that nobody holds until the stored bytes are at most 90% of the limit.
     * Only one process evicts at a time; the others skip (they will check again later).
     */
    void evictIfNeeded() {
        if (!EVICTING.tryLock()) return;
        try (FileChannel evictLock = FileChannel.open(
                        root.resolve("evict.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = evictLock.tryLock()) {
            if (lock == null) return;
            List<Candidate> entries = entries();
            long total = entries.stream().mapToLong(Candidate::stored).sum();
            if (total <= maxBytes) return;
            long target = maxBytes - maxBytes / 10;
            entries.sort(Comparator.comparingLong(Candidate::lastUsedMillis));
            for (Candidate c : entries) {
                if (total <= target) break;
                if (tryDelete(c.directory())) {
                    total -= c.stored();
                    log.debug(
                            "cache: evicted {} ({} stored)", c.directory().getFileName(), ByteSizes.format(c.stored()));
                }
            }
            if (total > maxBytes && warnedOverLimit.compareAndSet(false, true)) {
                log.warn(
                        "cache {} holds {}, more than its limit of {}: the rest belongs to files in use,"
                                + " which are never evicted",
                        root.getParent(),
                        ByteSizes.format(total),
                        ByteSizes.format(maxBytes));
            }
        } catch (IOException | OverlappingFileLockException e) {
            log.warn("cache {}: eviction skipped: {}", root.getParent(), e.toString());
        } finally {
            EVICTING.unlock();
        }
    }

    /** Deletes an entry if no process holds it; marks it dead first so a process about to use it starts over. */
    private boolean tryDelete(Path directory) throws IOException {
        // Under the registry lock: an opener in this JVM must not take its shared lock while we hold the
        // exclusive one (the JVM would throw OverlappingFileLockException at it instead of blocking).
        synchronized (REGISTRY) {
            return tryDeleteUnused(directory);
        }
    }

    private boolean tryDeleteUnused(Path directory) throws IOException {
        if (OPEN.containsKey(directory)) return false;
        Path lockPath = directory.resolve(CacheEntry.LOCK);
        try (FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock exclusive;
            try {
                exclusive = channel.tryLock(0, Long.MAX_VALUE, false);
            } catch (OverlappingFileLockException e) {
                return false; // opened in this JVM meanwhile
            }
            if (exclusive == null) return false;
            try {
                channel.write(ByteBuffer.wrap(new byte[] {CacheEntry.DEAD}), 0);
                for (String name : new String[] {CacheEntry.DATA, CacheEntry.CHUNKS, CacheEntry.INFO}) {
                    Files.deleteIfExists(directory.resolve(name));
                }
                Files.deleteIfExists(lockPath);
                Files.deleteIfExists(directory);
                return true;
            } finally {
                if (exclusive.isValid()) exclusive.release();
            }
        } catch (NoSuchFileException e) {
            return false;
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            log.debug("cache: {} not empty after eviction", directory);
            return true;
        }
    }
}
