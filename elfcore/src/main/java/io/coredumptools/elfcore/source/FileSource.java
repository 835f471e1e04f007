package io.coredumptools.elfcore.source;

import java.nio.file.Path;

/**
 * Where the bytes of a core or of a file it refers to come from: a local file, or a remote object (S3, HTTP,
 * debuginfod) whose bytes become readable at {@link #localPath()} only once {@link #ensure ensured}. The
 * {@code storage} module implements it for remote objects; elfcore and the emulator only call it, so neither
 * needs to know where the bytes live.
 *
 * <p>Contract for readers: call {@link #ensure} for a range before reading it at {@link #localPath()} (positional
 * reads, or a {@code MAP_PRIVATE} mapping); bytes of ranges never ensured are holes and must never be used. The
 * local file is never truncated or rewritten while the source is open, so a private mapping of it stays valid:
 * chunks only go from "hole" to "the object's bytes". Implementations are thread-safe.
 */
public interface FileSource extends AutoCloseable {

    /** The local file to read or map: the file itself, or the cache file that holds the fetched chunks. */
    Path localPath();

    /** The size of the file in bytes. */
    long size();

    /** Where the bytes come from, for messages ({@code s3://bucket/key}): never contains credentials. */
    String describe();

    /** True when every byte is readable without {@link #ensure} (a plain local file). */
    boolean isComplete();

    /** The unit, aligned from offset 0, in which {@link #ensure} makes bytes readable (a multiple of 4 KiB). */
    long chunkSize();

    /**
     * Makes {@code [offset, offset+length)} readable at {@link #localPath()}; the part past {@link #size()} is
     * ignored. Blocks until the bytes are there, or fails without making any of them readable.
     *
     * @throws SourceException the object is gone, changed since it was opened, or cannot be reached
     */
    void ensure(long offset, long length) throws SourceException;

    /** What reading this file has cost so far. */
    default FetchFigures figures() {
        return FetchFigures.NONE;
    }

    /** Releases the source; its local file may then disappear (mappings of it stay valid). */
    @Override
    void close();
}
