package io.coredumptools.integration.gdb;

import io.coredumptools.testkit.CoreFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged {@code corestub serve} as a separate process on an ephemeral loopback port:
 * {@code java -jar corestub.jar serve --listen 127.0.0.1:0 CORE --exe PROG}. Waits for the line
 * {@code corestub: listening on 127.0.0.1:PORT}; {@link #close()} kills it. Everything it prints is kept for
 * failure messages ({@link #output()}).
 */
public final class CorestubServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("corestub: listening on (\\S+):(\\d+)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread shutdownHook;
    private final List<String> command;

    private CorestubServer(List<String> command, java.util.Map<String, String> environment) {
        this.command = List.copyOf(command);
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            process = builder.redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
        shutdownHook = new Thread(process::destroyForcibly, "corestub-server-kill");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Thread reader = new Thread(this::drain, "corestub-server-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Serves the fixture's core with its program as {@code --exe}, plus any further options. */
    public static CorestubServer serve(CoreFixture fixture, String... moreOptions) {
        List<String> args = new ArrayList<>(List.of(
                "serve",
                "--listen",
                "127.0.0.1:0",
                fixture.core().toString(),
                "--exe",
                fixture.program().toString()));
        args.addAll(List.of(moreOptions));
        return start(args);
    }

    /** Runs {@code corestub ARGS} and waits until it listens. */
    public static CorestubServer start(List<String> corestubArguments) {
        return start(corestubArguments, java.util.Map.of());
    }

    /** As {@link #start(List)}, with more environment variables (credentials for a store). */
    public static CorestubServer start(List<String> corestubArguments, java.util.Map<String, String> environment) {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        command.addAll(corestubArguments);
        CorestubServer server = new CorestubServer(command, environment);
        try {
            server.port.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            server.close();
            throw new AssertionError(
                    "corestub serve exited before it reported 'listening on'\n" + server.describe(), e);
        } catch (TimeoutException e) {
            server.close();
            throw new AssertionError(
                    "corestub serve did not report 'listening on' within " + START_TIMEOUT.toSeconds() + " s\n"
                            + server.describe(),
                    e);
        } catch (InterruptedException e) {
            server.close();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return server;
    }

    static Path jar() {
        String property = System.getProperty("corestub.jar");
        if (property == null) {
            throw new IllegalStateException("system property corestub.jar is not set: run through Maven");
        }
        Path jar = Path.of(property).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build it first (mvn -pl cli -am package)");
        }
        return jar;
    }

    private void drain() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (!port.isDone() && m.find()) {
                    port.complete(Integer.parseInt(m.group(2)));
                }
            }
        } catch (IOException e) {
            // the process was killed
        }
        port.completeExceptionally(new IllegalStateException("corestub exited before listening"));
    }

    public int port() {
        return port.join();
    }

    /** {@code 127.0.0.1:PORT}, as gdb's {@code target remote} takes it. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the server printed so far (stdout and stderr). */
    public String output() {
        return output.toString();
    }

    public String describe() {
        return "corestub server: " + String.join(" ", command)
                + (process.isAlive() ? " (running)" : " (exited " + process.exitValue() + ")")
                + "\n--- server output ---\n" + output + "--- end of server output ---";
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }
}
