package io.coredumptools.testkit;

import java.nio.file.Path;

/**
 * A built fixture handed to tests: the executable, the core it left, the C source it was built from,
 * and the directory holding them (where the program ran). All paths are absolute and real.
 *
 * <p>The files are shared by every test of the build: never modify them; use {@link #copyOfCore(Path)}.
 *
 * @param name the {@link Fixture} constant's name, e.g. {@code DEMO_PIE}
 */
public record CoreFixture(String name, Path program, Path core, Path source, Path directory) {

    /** Shorthand for {@link Gdb#onCore(Path, Path, String...)} on this fixture's program and core. */
    public String gdb(String... commands) {
        return Gdb.onCore(program, core, commands);
    }

    /** Shorthand for {@link Fixtures#copyOfCore(CoreFixture, Path)}. */
    public Path copyOfCore(Path targetDirectory) {
        return Fixtures.copyOfCore(this, targetDirectory);
    }

    public Fixture fixture() {
        return Fixture.valueOf(name);
    }
}
