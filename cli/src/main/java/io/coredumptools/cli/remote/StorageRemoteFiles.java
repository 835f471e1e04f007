package io.coredumptools.cli.remote;

import io.coredumptools.elfcore.source.FileSource;
import io.coredumptools.elfcore.source.RemoteFiles;
import io.coredumptools.elfcore.source.SourceException;
import io.coredumptools.storage.LazyFile;
import io.coredumptools.storage.Location;
import io.coredumptools.storage.MappedFileLocator;
import io.coredumptools.storage.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** storage's {@link MappedFileLocator} ({@code --files}, {@code --map OLD=URL}, debuginfod) as elfcore's {@link RemoteFiles}. */
final class StorageRemoteFiles implements RemoteFiles {
    private final MappedFileLocator locator;
    private final boolean empty;

    StorageRemoteFiles(MappedFileLocator locator, boolean noPrefixesNorMappings) {
        this.locator = locator;
        this.empty = noPrefixesNorMappings && !locator.debuginfod().isEnabled();
    }

    @Override
    public List<String> candidates(String recordedPath) {
        try {
            List<String> places = new ArrayList<>();
            for (Location location : locator.candidates(recordedPath)) {
                places.add(location.describe());
            }
            return places;
        } catch (StorageException e) {
            return List.of();
        }
    }

    @Override
    public Optional<FileSource> find(String recordedPath, Predicate<FileSource> accept) throws SourceException {
        try {
            // No build-id: debuginfod is asked separately, after the local candidates (byBuildId).
            return locator.open(recordedPath, null, file -> accept.test(new LazyFileSource(file)))
                    .map(LazyFileSource::new);
        } catch (StorageException e) {
            throw LazyFileSource.toSourceException(e);
        }
    }

    @Override
    public Optional<FileSource> byBuildId(String buildId, Predicate<FileSource> accept) throws SourceException {
        if (!locator.debuginfod().isEnabled()) {
            return Optional.empty();
        }
        try {
            Optional<LazyFile> found = locator.debuginfod().executable(buildId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            LazyFileSource source = new LazyFileSource(found.get());
            if (!accept.test(source)) {
                source.close();
                return Optional.empty();
            }
            return Optional.of(source);
        } catch (StorageException e) {
            throw LazyFileSource.toSourceException(e);
        }
    }

    @Override
    public Optional<Path> debugFile(String buildId) throws SourceException {
        try {
            return locator.debuginfo(buildId).map(LazyFile::localPath);
        } catch (StorageException e) {
            throw LazyFileSource.toSourceException(e);
        }
    }

    @Override
    public boolean isEmpty() {
        return empty;
    }
}
