package io.coredumptools.elfcore.source;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where a core's mapped files may be besides this machine's file system: an object store under a prefix
 * ({@code --files s3://BUCKET/PREFIX/}, {@code --map OLD=URL}) and debuginfod by build-id. elfcore's file
 * resolution asks it after {@code --exe}, {@code --map} to local paths and {@code --sysroot}, before the recorded
 * path itself ({@link #find}), and asks debuginfod last ({@link #byBuildId}). The {@code storage} module implements
 * it; {@link #NONE} looks nowhere.
 */
public interface RemoteFiles {

    /** Looks nowhere. */
    RemoteFiles NONE = new RemoteFiles() {
        @Override
        public List<String> candidates(String recordedPath) {
            return List.of();
        }

        @Override
        public Optional<FileSource> find(String recordedPath, Predicate<FileSource> accept) {
            return Optional.empty();
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
            return true;
        }
    };

    /** The locations {@link #find} tries for {@code recordedPath}, for messages. */
    List<String> candidates(String recordedPath);

    /**
     * The first candidate for {@code recordedPath} that exists and that {@code accept} takes (the build-id check);
     * a candidate refused is closed and the next one tried.
     *
     * @throws SourceException a store could not be asked (unreachable, access denied): not the same as "not there"
     */
    Optional<FileSource> find(String recordedPath, Predicate<FileSource> accept) throws SourceException;

    /** The executable or shared object with this build-id (lower-case hex), from debuginfod. */
    Optional<FileSource> byBuildId(String buildId, Predicate<FileSource> accept) throws SourceException;

    /** The separate debug file for this build-id, from debuginfod: a complete local file in its cache. */
    Optional<Path> debugFile(String buildId) throws SourceException;

    /** Whether this looks nowhere (no prefixes, no URL mappings, no debuginfod servers). */
    boolean isEmpty();
}
