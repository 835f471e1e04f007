package io.coredumptools.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Entry point to the fixtures: {@code Fixtures.get(Fixture.DEMO_PIE)} compiles and crashes the program on
 * first use and afterwards serves the same files, to every test and every module of the build.
 *
 * <p>They live under the directory named by the system property {@value #DIRECTORY_PROPERTY} (the root
 * pom points it at the top-level {@code target/fixtures}, so one {@code mvn clean} makes everything fresh),
 * or {@code target/fixtures} under the working directory when it is unset.
 */
public final class Fixtures {

    public static final String DIRECTORY_PROPERTY = "fixtures.dir";

    private static final FixtureStore STORE = new FixtureStore(configuredDirectory());

    private Fixtures() {}

    /** The built fixture; builds it first if needed. Thread- and process-safe. */
    public static CoreFixture get(Fixture fixture) {
        return STORE.get(fixture);
    }

    /**
     * Copies the fixture's core into {@code targetDirectory} (created if needed, an existing copy is
     * replaced) and returns the writable copy, for tests that modify a core, e.g. truncate it. The cached
     * core itself must never be changed.
     */
    public static Path copyOfCore(CoreFixture fixture, Path targetDirectory) {
        try {
            Files.createDirectories(targetDirectory);
            Path copy = targetDirectory.resolve(fixture.core().getFileName());
            Files.copy(fixture.core(), copy, StandardCopyOption.REPLACE_EXISTING);
            // The cached core is read-only, and the copy inherits that mode.
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy core " + fixture.core() + " to " + targetDirectory, e);
        }
    }

    /** Where fixtures are built and cached. */
    public static Path directory() {
        return STORE.root();
    }

    private static Path configuredDirectory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return Path.of("target", "fixtures");
        }
        return Path.of(configured);
    }
}
