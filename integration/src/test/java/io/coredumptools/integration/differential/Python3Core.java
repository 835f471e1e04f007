package io.coredumptools.integration.differential;

import io.coredumptools.testkit.CommandFailedException;
import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.Gdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's python3 (the distribution's binary, not a pyenv one earlier on PATH) stopped in {@code os.abort()}, and
 * its kernel core: gdb runs it to its SIGABRT and delivers the signal, so the kernel writes the core of the very
 * state that {@link #STOP} reproduces for the live ground truth (gdb runs it with ASLR off, in a fixed small
 * environment and working directory). {@code -u}: stdout unbuffered, so what Python prints during a call is written
 * at once, live and in the core alike.
 */
final class Python3Core {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final List<String> ARGUMENTS = List.of("-u", "-c", "import os; os.abort()");

    private Python3Core() {}

    /** The environment python3 runs in by default: the C locale, so no locale file is mapped. */
    static final String C_LOCALE = "LC_ALL=C";

    /** gdb commands that stop the program in os.abort(), running in {@code directory}. */
    static List<String> stop(Path directory) {
        return stop(directory, C_LOCALE);
    }

    /** The same, with {@code environment} (as {@code env -i} takes it: NAME=VALUE words) as python3's whole environment. */
    static List<String> stop(Path directory, String environment) {
        return List.of("set exec-wrapper env -i " + environment, "set cwd " + directory, "run");
    }

    /** Makes the core in {@code directory} (its file "core"). */
    static Path abortedIn(Path directory) {
        return abortedIn(directory, C_LOCALE);
    }

    /** Makes the core in {@code directory} (its file "core"), python3 running with {@code environment}. */
    static Path abortedIn(Path directory, String environment) {
        if (!Files.isExecutable(PYTHON)) {
            throw new IllegalStateException(PYTHON + " is missing: scripts/setup.sh installs Debian's python3");
        }
        List<String> commands = new ArrayList<>(stop(directory, environment));
        commands.add("signal SIGABRT");
        CommandResult result = Gdb.withTimeout(Duration.ofMinutes(5))
                .withProgramArguments(ARGUMENTS.toArray(String[]::new))
                .withCoreDumpsAllowed()
                .runOnLiveProcess(PYTHON, commands);
        Path core = directory.resolve("core");
        if (!result.stdout().contains("Program terminated with signal SIGABRT") || !Files.isRegularFile(core)) {
            throw new CommandFailedException(
                    "python3 did not stop in os.abort() under gdb and leave a kernel core in " + directory, result);
        }
        return core;
    }
}
