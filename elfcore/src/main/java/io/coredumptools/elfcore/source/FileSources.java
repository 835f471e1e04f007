package io.coredumptools.elfcore.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The remote files open in this process, by their local path. Every reader of a file (elfcore's positional reads,
 * the glibc patcher, the emulator's mappings, the server's vFile) opens it by path, so it is here that a reader of
 * a cache file learns which {@link FileSource} must {@link FileSource#ensure ensure} its bytes first: no reader can
 * read a hole by forgetting to ask. Local files are never registered (they need no ensure).
 *
 * <p>A path may be registered several times (two cores opened over the same cache entry); it stays known until
 * each registration is closed. Thread-safe.
 */
public final class FileSources {
    private static final Map<Path, List<FileSource>> OPEN = new HashMap<>();

    private FileSources() {}

    /** Makes {@code source} known under its local path (and that path's real path) until the handle is closed. */
    public static Registration register(FileSource source) {
        List<Path> keys = keys(source.localPath());
        synchronized (OPEN) {
            for (Path key : keys) {
                OPEN.computeIfAbsent(key, k -> new ArrayList<>()).add(source);
            }
        }
        return new Registration(source, keys);
    }

    /** The remote source whose bytes are at {@code localPath}, if one is open; empty for a plain local file. */
    public static Optional<FileSource> find(Path localPath) {
        if (localPath == null) {
            return Optional.empty();
        }
        synchronized (OPEN) {
            if (OPEN.isEmpty()) {
                return Optional.empty();
            }
            List<FileSource> sources = OPEN.get(localPath);
            if (sources == null) {
                sources = OPEN.get(localPath.toAbsolutePath().normalize());
            }
            return sources == null || sources.isEmpty() ? Optional.empty() : Optional.of(sources.get(0));
        }
    }

    /** What to call {@code localPath} in messages: the remote location when it holds one's bytes, else itself. */
    public static String displayName(Path localPath) {
        return find(localPath).map(FileSource::describe).orElse(String.valueOf(localPath));
    }

    /** Ensures {@code [offset, offset+length)} of the file at {@code localPath} when it is a remote one. */
    public static void ensure(Path localPath, long offset, long length) throws SourceException {
        Optional<FileSource> source = find(localPath);
        if (source.isPresent()) {
            source.get().ensure(offset, length);
        }
    }

    private static List<Path> keys(Path localPath) {
        List<Path> keys = new ArrayList<>();
        Path absolute = localPath.toAbsolutePath().normalize();
        keys.add(absolute);
        if (!absolute.equals(localPath)) {
            keys.add(localPath);
        }
        try {
            Path real = localPath.toRealPath();
            if (!keys.contains(real)) {
                keys.add(real);
            }
        } catch (IOException | RuntimeException e) {
            // Not there (yet): the given spellings are enough.
        }
        return keys;
    }

    /** A registration; closing it forgets the source (it does not close the source). */
    public static final class Registration implements AutoCloseable {
        private final FileSource source;
        private final List<Path> keys;
        private boolean closed;

        private Registration(FileSource source, List<Path> keys) {
            this.source = source;
            this.keys = keys;
        }

        public FileSource source() {
            return source;
        }

        @Override
        public void close() {
            synchronized (OPEN) {
                if (closed) {
                    return;
                }
                closed = true;
                for (Path key : keys) {
                    List<FileSource> sources = OPEN.get(key);
                    if (sources != null) {
                        sources.remove(source);
                        if (sources.isEmpty()) {
                            OPEN.remove(key);
                        }
                    }
                }
            }
        }
    }
}
