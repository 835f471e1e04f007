package io.coredumptools.integration.gdb;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One batch gdb ({@code gdb -batch -nx -q}) connected to a corestub server, running in the background with its
 * stdout and stderr merged (so error messages stay in order) and read line by line with the time each line
 * arrived. Each command is preceded by a marker line ({@link GdbTranscript#marker}) so the output can be cut
 * per command. Use {@link #run} for the usual start-and-wait, {@link #start} to act while gdb runs.
 *
 * <pre>
 * gdb -batch -nx -q -iex 'set debuginfod enabled off' -ex 'set pagination off' -ex 'set width 0'
 *     -ex 'set confirm off' -ex 'set remotetimeout 60' [-ex SETUP]... -ex 'target remote 127.0.0.1:PORT' (-ex 'echo MARKER' -ex CMD)... [PROG]
 * </pre>
 */
public final class GdbProcess implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** A line of gdb output and when it was read ({@link System#nanoTime()}). */
    public record Line(long nanos, String text) {}

    private final List<String> command;
    private final Process process;
    private final List<Line> lines = new ArrayList<>();
    private final Thread reader;

    private GdbProcess(List<String> command, Path directory) {
        this.command = List.copyOf(command);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        environment(builder.environment());
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start gdb: " + command, e);
        }
        reader = new Thread(this::read, "gdb-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** English messages, no symbol server. */
    static void environment(Map<String, String> env) {
        env.put("LC_ALL", "C");
        env.remove("DEBUGINFOD_URLS");
    }

    /** A gdb that will connect to {@code server} and run commands there. */
    public static Builder connectedTo(CorestubServer server) {
        return new Builder(server.address());
    }

    /** A gdb that will connect to {@code host:port}. */
    public static Builder connectedTo(String address) {
        return new Builder(address);
    }

    /** Starts gdb and returns at once; the commands run in order. */
    public static GdbProcess start(Builder b, List<String> commands) {
        List<String> argv =
                new ArrayList<>(List.of("gdb", "-batch", "-nx", "-q", "-iex", "set debuginfod enabled off"));
        // A generous remote timeout: the tests check behaviour, not how fast a loaded machine answers.
        for (String c : List.of("set pagination off", "set width 0", "set confirm off", "set remotetimeout 60")) {
            argv.add("-ex");
            argv.add(c);
        }
        for (String c : b.setup) {
            argv.add("-ex");
            argv.add(c);
        }
        argv.add("-ex");
        argv.add((b.extendedRemote ? "target extended-remote " : "target remote ") + b.address);
        argv.addAll(GdbTranscript.withMarkers(commands, "-ex"));
        if (b.program != null) {
            argv.add(b.program.toAbsolutePath().toString());
        }
        return new GdbProcess(argv, b.directory);
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(new Line(System.nanoTime(), line));
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // killed
        }
        synchronized (lines) {
            lines.notifyAll();
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until a line matches; fails the test (with all output so far) if none does in time. */
    public Line awaitLine(Predicate<String> matcher, Duration timeout, String description) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (matcher.test(lines.get(seen).text())) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!reader.isAlive() && seen == lines.size())) {
                    throw new AssertionError("gdb printed no line " + description + " within " + timeout.toMillis()
                            + " ms\n" + describe());
                }
                try {
                    lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** Waits until gdb begins command {@code index} (0-based) of those given to {@link #start}. */
    public Line awaitCommandStart(int index, Duration timeout) {
        String marker = GdbTranscript.marker(index);
        return awaitLine(marker::equals, timeout, "'" + marker + "'");
    }

    /** Ctrl-C: SIGINT to gdb, which sends the interrupt byte 0x03 to the remote target. */
    public void interrupt() {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                    .inheritIO()
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -INT " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for gdb to exit; kills it and fails the test if it does not in time. */
    public GdbTranscript awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new AssertionError(
                        "gdb did not finish within " + timeout.toSeconds() + " s (killed)\n" + describe());
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return new GdbTranscript(command, process.exitValue(), text());
    }

    public String text() {
        StringBuilder text = new StringBuilder();
        synchronized (lines) {
            lines.forEach(l -> text.append(l.text()).append('\n'));
        }
        return text.toString();
    }

    public String describe() {
        return "command: "
                + String.join(" ", command.stream().map(GdbProcess::quote).toList()) + "\noutput:\n" + text();
    }

    private static String quote(String s) {
        return s.matches("[\\w./:=@,+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Options of one gdb run. */
    public static final class Builder {
        private final String address;
        private Path program;
        private Path directory = Path.of("").toAbsolutePath();
        private final List<String> setup = new ArrayList<>();
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean extendedRemote;

        private Builder(String address) {
            this.address = address;
        }

        /** The program gdb loads (last argument); none by default, so gdb relies on the target. */
        public Builder program(Path program) {
            this.program = program;
            return this;
        }

        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Commands run before {@code target remote}. */
        public Builder setup(String... commands) {
            setup.addAll(List.of(commands));
            return this;
        }

        /** Connects with {@code target extended-remote} (serve --catalog) instead of {@code target remote}. */
        public Builder extendedRemote() {
            this.extendedRemote = true;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public GdbProcess start(String... commands) {
            return GdbProcess.start(this, List.of(commands));
        }

        /** Runs the commands and waits for gdb to exit (bounded by the timeout). */
        public GdbTranscript run(String... commands) {
            try (GdbProcess gdb = start(commands)) {
                return gdb.awaitExit(timeout);
            }
        }
    }
}
