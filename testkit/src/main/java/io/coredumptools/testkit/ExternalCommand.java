package io.coredumptools.testkit;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program from an argument vector (no shell, so paths and gdb commands are never
 * re-parsed), with stdin from /dev/null, a timeout, and stdout and stderr drained concurrently so a
 * chatty program cannot block on a full pipe.
 */
public final class ExternalCommand {

    /** How long to wait for the output pipes to drain after the process ended. */
    private static final long DRAIN_MILLIS = 5_000;

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private ExternalCommand() {}

    /**
     * Runs {@code command} in the current directory and returns its result when it exits 0.
     *
     * @throws CommandFailedException when it cannot start, times out or exits non-zero
     */
    public static CommandResult runChecked(List<String> command) {
        CommandResult result = run(command, Path.of("").toAbsolutePath(), DEFAULT_TIMEOUT);
        if (!result.succeeded()) {
            throw new CommandFailedException(command.get(0) + " failed", result);
        }
        return result;
    }

    public static CommandResult run(List<String> command, Path workingDirectory, Duration timeout) {
        return run(command, workingDirectory, timeout, Map.of());
    }

    /**
     * @param environmentChanges variables to set; a null value removes the variable
     * @throws CommandFailedException if the program cannot be started or does not finish in time; a
     *     non-zero exit is not an error here, callers decide what they expected
     */
    static CommandResult run(
            List<String> command, Path workingDirectory, Duration timeout, Map<String, String> environmentChanges) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        environmentChanges.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });

        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CommandFailedException(
                    "Cannot start '" + command.get(0) + "' (is it installed and on the PATH?): "
                            + ShellQuoting.join(command) + "\n" + e.getMessage(),
                    e);
        }

        OutputDrain stdout = new OutputDrain(process.getInputStream(), command.get(0) + "-stdout");
        OutputDrain stderr = new OutputDrain(process.getErrorStream(), command.get(0) + "-stderr");
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killWithDescendants(process);
                CommandResult partial = new CommandResult(command, -1, stdout.finish(), stderr.finish());
                throw new CommandFailedException(
                        "Timed out after " + timeout.toSeconds() + " s (the process was killed)", partial);
            }
        } catch (InterruptedException e) {
            killWithDescendants(process);
            Thread.currentThread().interrupt();
            throw new CommandFailedException("Interrupted while running " + ShellQuoting.join(command), e);
        }
        return new CommandResult(command, process.exitValue(), stdout.finish(), stderr.finish());
    }

    /** gdb's inferior would otherwise outlive a killed gdb and keep running. */
    private static void killWithDescendants(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Copies one output stream into memory on its own thread. */
    private static final class OutputDrain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        OutputDrain(InputStream stream, String name) {
            thread = new Thread(() -> copy(stream), name + "-drain");
            thread.setDaemon(true);
            thread.start();
        }

        private void copy(InputStream stream) {
            byte[] buffer = new byte[8192];
            try (stream) {
                int count;
                while ((count = stream.read(buffer)) != -1) {
                    bytes.write(buffer, 0, count);
                }
            } catch (IOException e) {
                // The stream closes when the process is killed; what was read so far is kept.
            }
        }

        /**
         * Waits a bounded time for the stream to end: a grandchild that inherited the pipe could keep it
         * open after the process itself exited.
         */
        String finish() {
            try {
                thread.join(DRAIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
