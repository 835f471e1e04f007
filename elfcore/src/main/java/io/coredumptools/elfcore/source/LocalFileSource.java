package io.coredumptools.elfcore.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A file on this machine: every byte is there, {@link #ensure} costs nothing. */
public final class LocalFileSource implements FileSource {
    private final Path path;

    private LocalFileSource(Path path) {
        this.path = path;
    }

    /** The file at {@code path} (whether it exists is for its readers to say). */
    public static LocalFileSource of(Path path) {
        return new LocalFileSource(path);
    }

    @Override
    public Path localPath() {
        return path;
    }

    @Override
    public long size() {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public boolean isComplete() {
        return true;
    }

    @Override
    public long chunkSize() {
        return Math.max(4096, (size() + 4095) & ~4095L);
    }

    @Override
    public void ensure(long offset, long length) {
        // Every byte is there already.
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return describe();
    }
}
