package io.coredumptools.storage;

import java.time.Duration;

/**
 * Fetch figures, for progress lines, {@code monitor info} and {@code info --json}.
 *
 * @param bytesFetched bytes received from the store (chunks, including read-ahead)
 * @param chunksFetched chunks received from the store
 * @param cacheHits chunks that were already in the on-disk cache when first needed
 * @param cacheMisses chunks that had to be fetched when first needed (read-ahead does not count)
 * @param requests ranged GETs sent, retries included
 * @param retries requests repeated after a transient error
 * @param fetchTime wall-clock time spent waiting in {@link LazyFile#ensure} for fetches
 */
public record FetchStats(
        long bytesFetched,
        long chunksFetched,
        long cacheHits,
        long cacheMisses,
        long requests,
        long retries,
        Duration fetchTime) {

    public static final FetchStats NONE = new FetchStats(0, 0, 0, 0, 0, 0, Duration.ZERO);

    public FetchStats plus(FetchStats other) {
        return new FetchStats(
                bytesFetched + other.bytesFetched,
                chunksFetched + other.chunksFetched,
                cacheHits + other.cacheHits,
                cacheMisses + other.cacheMisses,
                requests + other.requests,
                retries + other.retries,
                fetchTime.plus(other.fetchTime));
    }

    /** One human line, e.g. {@code "fetched 3.0 MiB in 3 chunks (5 requests, 0 retries), cache 2 hits / 3 misses, 41 ms"}. */
    public String summary() {
        return String.format(
                "fetched %s in %d chunks (%d requests, %d retries), cache %d hits / %d misses, %d ms",
                ByteSizes.format(bytesFetched),
                chunksFetched,
                requests,
                retries,
                cacheHits,
                cacheMisses,
                fetchTime.toMillis());
    }
}
