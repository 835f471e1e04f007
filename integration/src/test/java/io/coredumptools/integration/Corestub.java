package io.coredumptools.integration;

import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs the packaged {@code corestub} as a separate process, as a user would. */
final class Corestub {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private Corestub() {}

    static Path jar() {
        String property = System.getProperty("corestub.jar");
        if (property == null) {
            throw new IllegalStateException("system property corestub.jar is not set: run through Maven (mvn verify)");
        }
        Path jar = Path.of(property).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build it first (mvn package, or mvn verify)");
        }
        return jar;
    }

    static CommandResult run(String... arguments) {
        return run(TIMEOUT, arguments);
    }

    /** With a shorter timeout, for commands that must end quickly (a runaway call stopped by its budget). */
    static CommandResult run(Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", jar().toString()));
        command.addAll(List.of(arguments));
        return ExternalCommand.run(command, Path.of("").toAbsolutePath(), timeout);
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
