package io.coredumptools.storage;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/** The mutable, thread-safe counters behind a {@link FetchStats}; one per file plus one per {@link Storage}. */
final class FetchCounters {
    private final FetchCounters parent;
    private final LongAdder bytesFetched = new LongAdder();
    private final LongAdder chunksFetched = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder fetchNanos = new LongAdder();

    /** @param parent also receives every count (the storage-wide figures), or null */
    FetchCounters(FetchCounters parent) {
        this.parent = parent;
    }

    void chunkFetched(long bytes) {
        bytesFetched.add(bytes);
        chunksFetched.increment();
        if (parent != null) parent.chunkFetched(bytes);
    }

    void cacheHit() {
        cacheHits.increment();
        if (parent != null) parent.cacheHit();
    }

    void cacheMiss() {
        cacheMisses.increment();
        if (parent != null) parent.cacheMiss();
    }

    void request() {
        requests.increment();
        if (parent != null) parent.request();
    }

    void retry() {
        retries.increment();
        if (parent != null) parent.retry();
    }

    void waited(long nanos) {
        fetchNanos.add(nanos);
        if (parent != null) parent.waited(nanos);
    }

    FetchStats snapshot() {
        return new FetchStats(
                bytesFetched.sum(),
                chunksFetched.sum(),
                cacheHits.sum(),
                cacheMisses.sum(),
                requests.sum(),
                retries.sum(),
                Duration.ofNanos(fetchNanos.sum()));
    }
}
