package io.coredumptools.cli.remote;

import io.coredumptools.elfcore.source.FetchFigures;
import io.coredumptools.elfcore.source.FileSource;
import io.coredumptools.elfcore.source.SourceException;
import io.coredumptools.storage.FetchStats;
import io.coredumptools.storage.LazyFile;
import io.coredumptools.storage.StorageException;
import java.nio.file.Path;

/** A storage {@link LazyFile} as elfcore's {@link FileSource}: the one place the two modules meet. */
public final class LazyFileSource implements FileSource {
    private final LazyFile file;

    public LazyFileSource(LazyFile file) {
        this.file = file;
    }

    public LazyFile file() {
        return file;
    }

    @Override
    public Path localPath() {
        return file.localPath();
    }

    @Override
    public long size() {
        return file.size();
    }

    @Override
    public String describe() {
        return file.describe();
    }

    @Override
    public boolean isComplete() {
        return file.isComplete();
    }

    @Override
    public long chunkSize() {
        return file.chunkSize();
    }

    @Override
    public void ensure(long offset, long length) throws SourceException {
        try {
            file.ensure(offset, length);
        } catch (StorageException e) {
            throw toSourceException(e);
        }
    }

    /** The storage error as elfcore's: the same one-line message, the location apart. */
    static SourceException toSourceException(StorageException e) {
        String prefix = e.location() + ": ";
        String reason = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        return new SourceException(e.location(), reason, e.reason() == StorageException.Reason.CHANGED, e);
    }

    @Override
    public FetchFigures figures() {
        return figures(file.stats());
    }

    static FetchFigures figures(FetchStats s) {
        return new FetchFigures(
                s.bytesFetched(),
                s.chunksFetched(),
                s.cacheHits(),
                s.cacheMisses(),
                s.requests(),
                s.retries(),
                s.fetchTime().toMillis());
    }

    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return describe();
    }
}
