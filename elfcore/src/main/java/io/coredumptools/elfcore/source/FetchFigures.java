package io.coredumptools.elfcore.source;

/**
 * What reading remote files has cost: for the attach progress line, {@code monitor info} and {@code info --json}.
 *
 * @param bytesFetched bytes received from the store
 * @param chunksFetched chunks received from the store (read-ahead included)
 * @param cacheHits chunks that were already in the local cache when first needed
 * @param cacheMisses chunks that had to be fetched when first needed
 * @param requests requests sent, retries included
 * @param retries requests repeated after a transient error
 * @param fetchMillis wall-clock milliseconds readers waited for fetches
 */
public record FetchFigures(
        long bytesFetched,
        long chunksFetched,
        long cacheHits,
        long cacheMisses,
        long requests,
        long retries,
        long fetchMillis) {

    public static final FetchFigures NONE = new FetchFigures(0, 0, 0, 0, 0, 0, 0);

    public FetchFigures plus(FetchFigures other) {
        return new FetchFigures(
                bytesFetched + other.bytesFetched,
                chunksFetched + other.chunksFetched,
                cacheHits + other.cacheHits,
                cacheMisses + other.cacheMisses,
                requests + other.requests,
                retries + other.retries,
                fetchMillis + other.fetchMillis);
    }

    /** {@code fetched 3.0 MiB in 3 chunks (5 requests, 0 retries), cache 2 hits / 3 misses, waited 41 ms}. */
    public String summary() {
        return String.format(
                "fetched %s in %d chunks (%d requests, %d retries), cache %d hits / %d misses, waited %d ms",
                formatBytes(bytesFetched), chunksFetched, requests, retries, cacheHits, cacheMisses, fetchMillis);
    }

    static String formatBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
