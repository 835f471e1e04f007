package io.coredumptools.integration.gdb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code gdb --interpreter=mi3 PROG} driven over its stdin as an IDE does: each command gets a numeric token
 * and {@link #send} returns once the result record {@code TOKEN^...} arrived, with the records before it.
 */
public final class MiSession implements AutoCloseable {
    private static final String EOF = "\u0000EOF";

    /** The result record ({@code ^done,...} without the token) and the records that came before it. */
    public record Reply(String result, List<String> records) {
        public boolean isDone() {
            return result.startsWith("^done")
                    || result.startsWith("^connected")
                    || result.startsWith("^running")
                    || result.startsWith("^exit");
        }

        /** Every value of {@code name="..."} in the result record, unescaped. */
        public List<String> fields(String name) {
            List<String> values = new ArrayList<>();
            Matcher m = Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "=\"((?:[^\"\\\\]|\\\\.)*)\"")
                    .matcher(result);
            while (m.find()) {
                values.add(unescape(m.group(1)));
            }
            return values;
        }

        public String field(String name) {
            List<String> values = fields(name);
            if (values.isEmpty()) {
                throw new AssertionError("no " + name + "= in " + result);
            }
            return values.get(0);
        }
    }

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer transcript = new StringBuffer();
    private final Duration timeout;
    private int token = 1;

    public MiSession(Path program, Path directory, Duration timeout) {
        this.timeout = timeout;
        ProcessBuilder builder = new ProcessBuilder(
                        "gdb",
                        "--interpreter=mi3",
                        "-nx",
                        "-q",
                        "-iex",
                        "set debuginfod enabled off",
                        "-iex",
                        "set remotetimeout 60", // behaviour, not the loaded machine's speed
                        program.toAbsolutePath().toString())
                .directory(directory.toFile())
                .redirectErrorStream(true);
        GdbProcess.environment(builder.environment());
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start gdb", e);
        }
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            transcript.append(line).append('\n');
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // killed
                    }
                    lines.add(EOF);
                },
                "gdb-mi-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends one MI command and waits (bounded) for its result record. */
    public Reply send(String command) {
        int t = token++;
        transcript.append("-> ").append(t).append(command).append('\n');
        try {
            stdin.write(t + command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("gdb's stdin is closed\n" + transcript, e);
        }
        String prefix = t + "^";
        List<String> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line;
            try {
                line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (line == null || line.equals(EOF)) {
                throw new AssertionError((line == null
                                ? "no result for '" + command + "' within " + timeout.toSeconds() + " s"
                                : "gdb exited during '" + command + "'")
                        + "\n" + transcript);
            }
            if (line.startsWith(prefix)) {
                return new Reply(line.substring(Integer.toString(t).length()), records);
            }
            records.add(line);
        }
    }

    public String transcript() {
        return transcript.toString();
    }

    /** {@code -gdb-exit}, then makes sure gdb is gone. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                send("-gdb-exit");
            }
        } catch (AssertionError e) {
            // gdb may close its output before the ^exit record is read
        } finally {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(
                        switch (n) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> n;
                        });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
