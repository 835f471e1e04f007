package io.coredumptools.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk cache of built fixtures under one root directory, safe to share between threads and between
 * JVMs (the modules of one build, or parallel test forks).
 *
 * <p>Layout, for a key such as {@code demo_pie-1a2b3c4d5e6f} (see {@link FixtureKey}):
 * <pre>
 *   demo_pie-1a2b3c4d5e6f.lock                 file lock held while the fixture is being built
 *   demo_pie-1a2b3c4d5e6f.build-123456/        where it was built: source, program, core, build.log
 *   demo_pie-1a2b3c4d5e6f -> demo_pie-1a2b3c4d5e6f.build-123456   published when complete
 * </pre>
 * A fixture is built in a fresh temporary directory and published by atomically renaming a symbolic link
 * to it onto the key's name, so a reader either sees a complete fixture or none. The build directory itself
 * is never renamed because the core records the absolute path the program ran from (in its NT_FILE note),
 * and that path should stay valid.
 */
final class FixtureStore {

    private static final Logger log = LoggerFactory.getLogger(FixtureStore.class);

    /**
     * A FileLock excludes other JVMs only; threads of this JVM must also be kept apart, and trying to
     * lock a file this JVM already locks throws. Keyed by lock file, shared by all stores.
     */
    private static final ConcurrentMap<Path, Object> LOCKS_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path root;

    FixtureStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** The fixture, built now if no complete build is published under its current key. */
    CoreFixture get(Fixture fixture) {
        // The shared executable's fixture is resolved first, so no lock is ever taken while holding another.
        CoreFixture sharedProgram = fixture.programSharedWith().map(this::get).orElse(null);
        String sourceText = readSource(fixture);
        String key = keyOf(fixture, sourceText);
        Path published = root.resolve(key);
        if (Files.isDirectory(published)) {
            log.debug("Fixture {} served from cache: {}", fixture, published);
            return describe(fixture, published);
        }
        Path lockFile = root.resolve(key + ".lock");
        synchronized (LOCKS_IN_THIS_JVM.computeIfAbsent(lockFile, file -> new Object())) {
            try {
                Files.createDirectories(root);
                try (FileChannel channel =
                                FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = channel.lock()) {
                    if (Files.isDirectory(published)) {
                        log.info("Fixture {} was built meanwhile by another test or process: {}", fixture, published);
                        return describe(fixture, published);
                    }
                    return buildAndPublish(fixture, sourceText, key, sharedProgram);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot build fixture " + fixture + " under " + root, e);
            }
        }
    }

    /** Called with the key's lock held, so no one else is building it. */
    private CoreFixture buildAndPublish(Fixture fixture, String sourceText, String key, CoreFixture sharedProgram)
            throws IOException {
        deleteAbandonedBuilds(key);
        Path buildDirectory = Files.createTempDirectory(root, key + ".build-");
        long start = System.nanoTime();
        log.info("Building fixture {} in {}", fixture, buildDirectory);
        try {
            FixtureBuilder.build(fixture, sourceText, buildDirectory, sharedProgram);
        } catch (RuntimeException e) {
            throw new FixtureBuildException(
                    "Could not build fixture " + fixture + "; its partial build is kept in " + buildDirectory + " (see "
                            + FixtureBuilder.BUILD_LOG + " there): " + e.getMessage(),
                    e);
        }
        Path published = root.resolve(key);
        // Relative, so the whole fixtures directory can be moved; the rename is what makes publishing atomic.
        Path link = root.resolve(key + ".link-" + ProcessHandle.current().pid());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, buildDirectory.getFileName());
        Files.move(link, published, StandardCopyOption.ATOMIC_MOVE);
        log.info("Fixture {} done in {} ms: {}", fixture, (System.nanoTime() - start) / 1_000_000, published);
        return describe(fixture, published);
    }

    /** Builds that failed or were killed before publishing; with the lock held none of them is in progress. */
    private void deleteAbandonedBuilds(String key) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry :
                    entries.filter(path -> isAbandonedBuildOf(key, path)).toList()) {
                log.info("Deleting abandoned build {}", entry);
                deleteRecursively(entry);
            }
        }
    }

    private static boolean isAbandonedBuildOf(String key, Path path) {
        String name = path.getFileName().toString();
        return name.startsWith(key + ".build-") || name.startsWith(key + ".link-");
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.isSymbolicLink(path) || !Files.isDirectory(path)) {
            Files.deleteIfExists(path);
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path entry : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(entry);
            }
        }
    }

    private String keyOf(Fixture fixture, String sourceText) {
        String sharedProgramKey = fixture.programSharedWith()
                .map(shared -> keyOf(shared, readSource(shared)))
                .orElse("");
        StringBuilder sources = new StringBuilder(sourceText);
        for (String companion : fixture.companionSourceFiles()) {
            sources.append('\u0000').append(companion).append('\u0000').append(readResource(companion));
        }
        return FixtureKey.of(fixture, sources.toString(), Toolchain.fingerprint(), sharedProgramKey);
    }

    /** Paths through the real build directory, so they match what the core recorded. */
    private static CoreFixture describe(Fixture fixture, Path published) {
        Path directory;
        try {
            directory = published.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot resolve fixture directory " + published, e);
        }
        return new CoreFixture(
                fixture.name(),
                directory.resolve(fixture.programName()),
                directory.resolve(FixtureBuilder.CORE_FILE),
                directory.resolve(fixture.sourceFile()),
                directory);
    }

    private static String readSource(Fixture fixture) {
        return readResource(fixture.sourceFile());
    }

    /** The text of {@code fileName} under {@code fixtures/} on the classpath. */
    static String readResource(String fileName) {
        String resource = "/fixtures/" + fileName;
        try (InputStream in = FixtureStore.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Fixture source " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read fixture source " + resource, e);
        }
    }
}
