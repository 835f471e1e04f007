package io.coredumptools.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote object as a {@link LazyFile}: chunks are fetched into its {@link CacheEntry} on first use, several
 * at once on a bounded pool, with read-ahead when reads move forward chunk by chunk.
 *
 * <p>A chunk found in the cache is checked (CRC) once per process and then remembered; a chunk being fetched
 * is fetched once however many threads want it. After the object changes, every later {@link #ensure} fails
 * with the same error: no byte of the new version is ever stored under the old one.
 */
final class RemoteFile implements LazyFile {
    private static final Logger log = LoggerFactory.getLogger(RemoteFile.class);

    private final RangeSource source;
    private final ObjectVersion version;
    private final ChunkCache cache;
    private final CacheEntry entry;
    private final Executor fetchPool;
    private final RetryPolicy retry;
    private final FetchCounters counters;
    private final int maxReadAhead;
    private final BitSet ready = new BitSet();
    private final ConcurrentHashMap<Integer, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger readAheadInFlight = new AtomicInteger();
    private volatile StorageException failure;
    private volatile boolean closed;
    private int lastChunk = -2;
    private int sequentialRun;

    RemoteFile(
            RangeSource source,
            ObjectVersion version,
            ChunkCache cache,
            CacheEntry entry,
            Executor fetchPool,
            RetryPolicy retry,
            FetchCounters counters,
            int maxReadAhead) {
        this.source = source;
        this.version = version;
        this.cache = cache;
        this.entry = entry;
        this.fetchPool = fetchPool;
        this.retry = retry;
        this.counters = counters;
        this.maxReadAhead = maxReadAhead;
    }

    @Override
    public Path localPath() {
        return entry.dataPath();
    }

    @Override
    public long size() {
        return version.size();
    }

    @Override
    public String describe() {
        return source.describe();
    }

    @Override
    public long chunkSize() {
        return entry.chunkSize();
    }

    @Override
    public boolean isComplete() {
        return false;
    }

    @Override
    public void ensure(long offset, long length) throws StorageException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range: offset " + offset + ", length " + length);
        }
        if (closed) throw new IllegalStateException(describe() + " is closed");
        StorageException failed = failure;
        if (failed != null) throw failed;
        long end = Math.min(version.size(), offset + Math.min(length, Long.MAX_VALUE - offset));
        if (offset >= end) return;
        int first = (int) (offset / entry.chunkSize());
        int last = (int) ((end - 1) / entry.chunkSize());
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        synchronized (ready) {
            for (int chunk = ready.nextClearBit(first); chunk <= last; chunk = ready.nextClearBit(chunk + 1)) {
                waits.add(load(chunk, false));
            }
        }
        readAhead(first, last);
        if (waits.isEmpty()) return;
        long started = System.nanoTime();
        try {
            for (CompletableFuture<Void> wait : waits) wait.get();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(StorageException.Reason.UNAVAILABLE, describe(), "interrupted while fetching");
        } finally {
            counters.waited(System.nanoTime() - started);
        }
    }

    private StorageException unwrap(Throwable cause) {
        if (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
        if (cause instanceof StorageException s) return s;
        return new StorageException(
                StorageException.Reason.UNAVAILABLE, describe(), "fetch failed: " + RetryPolicy.describe(cause), cause);
    }

    /** Read-ahead after the third chunk in a row read forward: 2, 4, … chunks ahead, at most {@code maxReadAhead}. */
    private void readAhead(int first, int last) {
        int from;
        int count;
        synchronized (ready) {
            if (first == lastChunk + 1 || (first == lastChunk && last > first)) {
                sequentialRun++;
            } else if (first != lastChunk) {
                sequentialRun = 0;
            }
            lastChunk = last;
            if (sequentialRun < 2 || maxReadAhead == 0) return;
            count = Math.min(maxReadAhead, 1 << Math.min(sequentialRun - 1, 16));
            from = last + 1;
        }
        for (int chunk = from; chunk < Math.min(from + count, entry.chunkCount()); chunk++) {
            if (readAheadInFlight.get() >= maxReadAhead) break;
            synchronized (ready) {
                if (ready.get(chunk) || inFlight.containsKey(chunk)) continue;
            }
            load(chunk, true);
        }
    }

    /** The future of a chunk's load, started if needed. Call with {@code ready} locked or for read-ahead. */
    private CompletableFuture<Void> load(int chunk, boolean readAhead) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> existing = inFlight.putIfAbsent(chunk, mine);
        if (existing != null) return existing;
        if (readAhead) readAheadInFlight.incrementAndGet();
        try {
            fetchPool.execute(() -> {
                try {
                    loadNow(chunk);
                    mine.complete(null);
                } catch (StorageException | IOException | RuntimeException e) {
                    if (e instanceof StorageException s && s.reason() == StorageException.Reason.CHANGED) failure = s;
                    if (readAhead)
                        log.debug("read-ahead of chunk {} of {} failed: {}", chunk, describe(), e.toString());
                    mine.completeExceptionally(e);
                } finally {
                    if (readAhead) readAheadInFlight.decrementAndGet();
                    inFlight.remove(chunk, mine);
                }
            });
        } catch (RejectedExecutionException e) {
            if (readAhead) readAheadInFlight.decrementAndGet();
            inFlight.remove(chunk, mine);
            mine.completeExceptionally(
                    new StorageException(StorageException.Reason.UNAVAILABLE, describe(), "storage is shut down"));
        }
        return mine;
    }

    private void loadNow(int chunk) throws StorageException, IOException {
        if (closed) throw new StorageException(StorageException.Reason.UNAVAILABLE, describe(), "closed");
        synchronized (ready) {
            if (ready.get(chunk)) return;
        }
        long offset = entry.chunkOffset(chunk);
        long length = entry.chunkLength(chunk);
        String what = "bytes " + offset + "-" + (offset + length - 1);
        boolean fetched = entry.fill(
                chunk,
                writer -> retry.run(describe(), what, counters, () -> {
                    source.fetch(offset, length, version, in -> writer.copyFrom(in, describe()));
                    return null;
                }));
        if (fetched) {
            counters.chunkFetched(length);
            counters.cacheMiss();
            cache.stored(length);
        } else {
            counters.cacheHit();
        }
        synchronized (ready) {
            ready.set(chunk);
        }
    }

    /** Waits until no fetch of this file is running (tests: read-ahead finished). */
    void awaitIdle() {
        for (CompletableFuture<Void> f : List.copyOf(inFlight.values())) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException ignored) {
                // The caller looks at the figures, not at read-ahead failures.
            }
        }
    }

    @Override
    public FetchStats stats() {
        return counters.snapshot();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // Fetches already running keep the entry's files open until they end (bounded by the timeouts).
        CompletableFuture.allOf(inFlight.values().toArray(CompletableFuture[]::new))
                .whenComplete((ignored, error) -> cache.release(entry));
    }

    @Override
    public String toString() {
        return describe();
    }
}
