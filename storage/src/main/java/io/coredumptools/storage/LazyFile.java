package io.coredumptools.storage;

import java.nio.file.Path;

/**
 * A file whose bytes become readable at {@link #localPath()} only once {@link #ensure ensured}: the core or a
 * mapped file, local or remote. A remote object is a sparse local cache file of the object's full size whose
 * aligned chunks are fetched on first use, so a 20 GB core in a bucket is never read whole.
 *
 * <p>Contract for readers (elfcore's positional reads, the emulator's mmap of {@link #localPath()}): call
 * {@link #ensure} for a range before reading it; bytes outside ensured ranges read as zeros or stale holes and
 * must never be used. The file at {@link #localPath()} is never truncated or rewritten while this object is
 * open, so a {@code MAP_PRIVATE} mapping of it stays valid; chunks only go from "hole" to "the object's bytes".
 * Implementations are thread-safe.
 */
public interface LazyFile extends AutoCloseable {

    /** The local file to read or map: the file itself, or the cache file that holds the fetched chunks. */
    Path localPath();

    /** The size of the object in bytes (the local file has the same size). */
    long size();

    /** Where the bytes come from, for messages and progress lines: never contains credentials. */
    String describe();

    /**
     * The unit, in bytes and aligned to multiples of itself from offset 0, in which {@link #ensure} makes bytes
     * available. A remote file fetches whole chunks; a local file has everything at once and answers
     * {@link #size()} (at least 1).
     */
    long chunkSize();

    /** True when every byte is readable without {@link #ensure} (a plain local file). */
    boolean isComplete();

    /**
     * Makes the bytes of {@code [offset, offset+length)} readable at {@link #localPath()}, fetching the chunks
     * that are not yet in the cache. The part of the range beyond {@link #size()} is ignored (the caller reports
     * truncation in its own words). Blocks until the bytes are there or fails; never returns partial data.
     *
     * @throws StorageException the object is gone, has changed since it was opened, the store is unreachable
     *     after retries, or the cache cannot store the chunk
     */
    void ensure(long offset, long length) throws StorageException;

    /** Fetch figures for this file since it was opened. */
    FetchStats stats();

    /** Releases the cache entry (it becomes eligible for eviction); the local file may then disappear. */
    @Override
    void close();
}
