package io.coredumptools.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Identifies the compiler and the system libraries a fixture is built and run against. It is part of a
 * fixture's cache key because a kept core is only usable with the same libc the program ran with: after
 * an upgrade gdb would load the new libc for an old core.
 */
final class Toolchain {

    /** The libraries every fixture program loads (or, static, links in). */
    private static final List<Path> SYSTEM_LIBRARIES = List.of(
            Path.of("/lib64/ld-linux-x86-64.so.2"),
            Path.of("/lib/x86_64-linux-gnu/libc.so.6"),
            Path.of("/lib/x86_64-linux-gnu/libm.so.6"));

    private static String fingerprint;

    private Toolchain() {}

    /** Text that changes when gcc or the system libraries change; computed once per JVM. */
    static synchronized String fingerprint() {
        if (fingerprint == null) {
            StringBuilder text = new StringBuilder(gccVersion());
            for (Path library : SYSTEM_LIBRARIES) {
                text.append('\n').append(describe(library));
            }
            fingerprint = text.toString();
        }
        return fingerprint;
    }

    private static String gccVersion() {
        List<String> command = List.of("gcc", "-dumpfullversion", "-dumpmachine");
        CommandResult result = ExternalCommand.run(command, Path.of(".").toAbsolutePath(), Duration.ofSeconds(30));
        if (!result.succeeded()) {
            throw new CommandFailedException("gcc does not work (needed to compile the C fixtures)", result);
        }
        return result.stdout().strip();
    }

    private static String describe(Path library) {
        if (!Files.exists(library)) {
            return library + " absent";
        }
        try {
            Path real = library.toRealPath();
            return library + " -> " + real + " " + Files.size(real) + " bytes, modified "
                    + Files.getLastModifiedTime(real);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot inspect " + library, e);
        }
    }
}
