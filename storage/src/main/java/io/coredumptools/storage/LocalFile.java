package io.coredumptools.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A local file: every byte is already there, so {@link #ensure} only checks that the file is still open. */
public final class LocalFile implements LazyFile {
    private final Path path;
    private final long size;
    private final String description;

    private LocalFile(Path path, long size, String description) {
        this.path = path;
        this.size = size;
        this.description = description;
    }

    /** Opens {@code path}, which must be a readable regular file. */
    public static LocalFile open(Path path) throws StorageException {
        return open(path, path.toString());
    }

    /** As {@link #open(Path)}, described as {@code description} (e.g. the debuginfod URL it came from). */
    static LocalFile open(Path path, String description) throws StorageException {
        try {
            if (!Files.isRegularFile(path)) {
                if (!Files.exists(path)) throw new NoSuchFileException(path.toString());
                throw new StorageException(
                        StorageException.Reason.INVALID_LOCATION, description, "is not a regular file");
            }
            if (!Files.isReadable(path)) {
                throw new StorageException(StorageException.Reason.ACCESS_DENIED, description, "is not readable");
            }
            return new LocalFile(path, Files.size(path), description);
        } catch (NoSuchFileException e) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, description, "no such file");
        } catch (IOException e) {
            throw new StorageException(
                    StorageException.Reason.CACHE, description, "cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public Path localPath() {
        return path;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public long chunkSize() {
        return Math.max(1, size);
    }

    @Override
    public boolean isComplete() {
        return true;
    }

    @Override
    public void ensure(long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range: offset " + offset + ", length " + length);
        }
    }

    @Override
    public FetchStats stats() {
        return FetchStats.NONE;
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return description;
    }
}
