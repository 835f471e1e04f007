package io.coredumptools.elfcore.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Remote files for tests: every recorded path is "remote", a {@link CopyOnEnsureSource} over the local file (or
 * over one substitute file for every path); records what it opened. Shared with the emulator's tests through this
 * module's test jar.
 */
public final class CopyingFiles implements RemoteFiles {
    private final List<CopyOnEnsureSource> opened = new ArrayList<>();
    private final Path cache;
    private final long chunk;
    private final Path substitute;

    /** @param substitute the file every path opens, or null for the recorded path itself */
    public CopyingFiles(Path cache, long chunk, Path substitute) {
        this.cache = cache;
        this.chunk = chunk;
        this.substitute = substitute;
    }

    /** The sources opened so far, in order. */
    public List<CopyOnEnsureSource> opened() {
        return opened;
    }

    @Override
    public List<String> candidates(String recordedPath) {
        return List.of("test://" + recordedPath);
    }

    @Override
    public Optional<FileSource> find(String recordedPath, Predicate<FileSource> accept) {
        Path file = substitute != null ? substitute : Path.of(recordedPath);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        CopyOnEnsureSource source = new CopyOnEnsureSource(file, cache, chunk);
        if (!accept.test(source)) {
            source.close();
            return Optional.empty();
        }
        opened.add(source);
        return Optional.of(source);
    }

    @Override
    public Optional<FileSource> byBuildId(String buildId, Predicate<FileSource> accept) {
        return Optional.empty();
    }

    @Override
    public Optional<Path> debugFile(String buildId) {
        return Optional.empty();
    }

    @Override
    public boolean isEmpty() {
        return false;
    }
}
