package io.coredumptools.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The debuginfod client cache exactly as libdebuginfod 0.188 (Debian 12) keeps it, so gdb, debuginfod-find and
 * corestub share one cache:
 *
 * <ul>
 *   <li>where: {@code $DEBUGINFOD_CACHE_PATH} if set and non-empty; else {@code $HOME/.debuginfod_client_cache}
 *       if that exists (the old default); else {@code $XDG_CACHE_HOME/debuginfod_client}, or
 *       {@code $HOME/.cache/debuginfod_client}, creating the parent with mode 0700 when missing;
 *   <li>a file: {@code CACHE/BUILDID/executable} or {@code …/debuginfo}, in a 0700 directory, written to
 *       {@code TYPE.XXXXXX} then renamed, mode 0400, its access and modification times set to the server's
 *       Last-Modified;
 *   <li>a miss: an empty file in its place (mode 0666 less the umask) when every server answered 404; it stands
 *       for {@code cache_miss_s} seconds (default 600), then the next lookup asks again;
 *   <li>control files in CACHE, each holding a decimal number and created with its default on first use:
 *       {@code cache_clean_interval_s} (86400; its mtime is the last cleaning), {@code max_unused_age_s}
 *       (604800), {@code cache_miss_s} (600). Cleaning, at most once per interval, deletes the cache files whose
 *       access time is older than max_unused_age_s and then the empty build-id directories that were as old
 *       before those deletions (fts(3) reports a directory's times as read before its files are visited).
 * </ul>
 */
final class DebuginfodCache {
    static final String CLEAN_INTERVAL = "cache_clean_interval_s";
    static final String MAX_UNUSED_AGE = "max_unused_age_s";
    static final String CACHE_MISS = "cache_miss_s";
    static final long DEFAULT_CLEAN_INTERVAL_S = 86400;
    static final long DEFAULT_MAX_UNUSED_AGE_S = 604800;
    static final long DEFAULT_CACHE_MISS_S = 600;
    /** Which paths cleaning may touch, as libdebuginfod matches them: build-id directories and their files. */
    private static final Pattern CLEANABLE = Pattern.compile(".*/[a-f0-9]+(/debuginfo|/executable|/source.*|)$");

    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*([+-]?\\d+)");

    private final Path root;

    DebuginfodCache(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Where libdebuginfod 0.188 would put its cache with this environment; creates the XDG parent if missing. */
    static DebuginfodCache locate(Map<String, String> env) throws IOException {
        String configured = env.get("DEBUGINFOD_CACHE_PATH");
        if (configured != null && !configured.isEmpty()) return new DebuginfodCache(Path.of(configured));
        String home = env.get("HOME");
        Path legacy = Path.of(home == null ? "/" : home, ".debuginfod_client_cache");
        if (Files.exists(legacy)) return new DebuginfodCache(legacy);
        String xdg = env.get("XDG_CACHE_HOME");
        Path parent = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(home == null ? "/" : home, ".cache");
        if (!Files.exists(parent)) {
            try {
                Files.createDirectory(
                        parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // Another client made it first.
            }
        }
        if (!Files.isDirectory(parent)) throw new IOException(parent + " exists and is not a directory");
        return new DebuginfodCache(parent.resolve("debuginfod_client"));
    }

    /** What the cache says about one build-id and type. */
    sealed interface Lookup permits Hit, KnownMissing, Unknown {}

    record Hit(Path file) implements Lookup {}

    /** A negative-cache entry younger than cache_miss_s: do not ask the servers. */
    record KnownMissing() implements Lookup {}

    record Unknown() implements Lookup {}

    /** Creates the cache directory, cleans it when the interval has passed, and looks the file up. */
    Lookup lookup(String buildId, String type) throws IOException {
        Files.createDirectories(root); // mode 0777 less the umask, as libdebuginfod's mkdir(ACCESSPERMS)
        clean();
        Path file = file(buildId, type);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!Files.isReadable(file)) throw new AccessDeniedException(file.toString());
        } catch (NoSuchFileException e) {
            return new Unknown();
        } catch (AccessDeniedException e) {
            Files.deleteIfExists(file); // an old 000-permission negative entry
            return new Unknown();
        }
        if (attributes.size() > 0) return new Hit(file);
        long cacheMiss = control(CACHE_MISS, DEFAULT_CACHE_MISS_S);
        long age = Instant.now().getEpochSecond()
                - attributes.lastModifiedTime().toInstant().getEpochSecond();
        if (age <= cacheMiss) return new KnownMissing();
        Files.deleteIfExists(file);
        return new Unknown();
    }

    Path file(String buildId, String type) {
        return root.resolve(buildId).resolve(type);
    }

    /**
     * Stores a download: {@code TYPE.XXXXXX} in the build-id directory, then times, mode 0400 and rename.
     *
     * @param lastModified the server's Last-Modified, or null (then the times are now)
     */
    Path store(String buildId, String type, InputStream body, Instant lastModified, long maxBytes) throws IOException {
        Path directory = root.resolve(buildId);
        createBuildIdDirectory(directory);
        Path temporary = Files.createTempFile(directory, type + ".", ""); // mode 0600, as mkstemp
        try {
            long copied;
            try (var out = Files.newOutputStream(temporary)) {
                copied = copyAtMost(body, out, maxBytes);
            }
            if (copied < 0) throw new IOException("larger than " + maxBytes + " bytes");
            if (lastModified != null) {
                FileTime time = FileTime.from(lastModified);
                Files.getFileAttributeView(temporary, BasicFileAttributeView.class)
                        .setTimes(time, time, null);
            }
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("r--------"));
            Path target = file(buildId, type);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            removeIfEmpty(directory);
            throw e;
        }
    }

    /** Records that no server has the file: an empty file, created only if none is there. */
    void storeMiss(String buildId, String type) throws IOException {
        Path directory = root.resolve(buildId);
        createBuildIdDirectory(directory);
        try {
            Files.createFile(file(buildId, type));
        } catch (FileAlreadyExistsException e) {
            // Another client recorded it (or fetched it) meanwhile.
        }
    }

    /** After a failed query: the build-id directory goes if it is empty, as libdebuginfod's rmdir. */
    void forget(String buildId) {
        removeIfEmpty(root.resolve(buildId));
    }

    private static void createBuildIdDirectory(Path directory) throws IOException {
        try {
            Files.createDirectory(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // Already there.
        }
    }

    private static void removeIfEmpty(Path directory) {
        try {
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // Not empty: in use by another file of this build-id.
        }
    }

    /** -1 when more than {@code max} bytes came (max 0: no limit). */
    private static long copyAtMost(InputStream in, java.io.OutputStream out, long max) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
            if (max > 0 && total > max) return -1;
            out.write(buffer, 0, n);
        }
        return total;
    }

    /**
     * Cleaning as libdebuginfod 0.188 does it: when {@code cache_clean_interval_s} has passed since the interval
     * file's mtime, touch it, then delete build-id files unused (atime) for {@code max_unused_age_s} and the
     * build-id directories as old that are empty.
     */
    void clean() throws IOException {
        Path intervalFile = root.resolve(CLEAN_INTERVAL);
        long interval = control(CLEAN_INTERVAL, DEFAULT_CLEAN_INTERVAL_S);
        long now = Instant.now().getEpochSecond();
        if (now - Files.getLastModifiedTime(intervalFile).toInstant().getEpochSecond() < interval) return;
        Files.setLastModifiedTime(intervalFile, FileTime.from(Instant.now()));
        long maxUnusedAge = control(MAX_UNUSED_AGE, DEFAULT_MAX_UNUSED_AGE_S);
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            /** Directory mtimes as seen before their files were deleted, as fts(3) reports them. */
            private final java.util.ArrayDeque<Long> directoryTimes = new java.util.ArrayDeque<>();

            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                directoryTimes.push(attributes.lastModifiedTime().toInstant().getEpochSecond());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile()
                        && CLEANABLE.matcher(file.toString()).matches()
                        && now - attributes.lastAccessTime().toInstant().getEpochSecond() >= maxUnusedAge) {
                    Files.deleteIfExists(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                long modified = directoryTimes.pop();
                if (CLEANABLE.matcher(dir.toString()).matches() && now - modified >= maxUnusedAge) {
                    removeIfEmpty(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Reads a control file, creating it with the default when it is missing or empty (as libdebuginfod). */
    long control(String name, long defaultValue) throws IOException {
        Path file = root.resolve(name);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            text = "";
        }
        if (text.isEmpty()) {
            try {
                Files.writeString(file, Long.toString(defaultValue), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                // Read-only cache: the default still applies.
            }
            return defaultValue;
        }
        var m = LEADING_NUMBER.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : defaultValue;
    }
}
