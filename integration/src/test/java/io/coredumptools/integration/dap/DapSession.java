package io.coredumptools.integration.dap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Debug Adapter Protocol client, as an IDE is one: it runs a debug adapter (a process speaking DAP on its stdin and
 * stdout, "Content-Length" framed JSON), sends requests and waits for their responses and for events. Every message
 * either way is kept for {@link #describe()}.
 */
final class DapSession implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final OutputStream toAdapter;
    private final List<JsonNode> received = new ArrayList<>();
    private final StringBuilder transcript = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private int sequence = 1;

    private DapSession(Process process) {
        this.process = process;
        this.toAdapter = process.getOutputStream();
        Thread reader = new Thread(() -> read(process.getInputStream()), "dap-adapter-stdout");
        reader.setDaemon(true);
        reader.start();
        Thread errors = new Thread(() -> drain(process.getErrorStream()), "dap-adapter-stderr");
        errors.setDaemon(true);
        errors.start();
    }

    /** Starts {@code command} (e.g. node debugTargetAdapter.js) in {@code directory}. */
    static DapSession start(List<String> command, Path directory) {
        try {
            return new DapSession(
                    new ProcessBuilder(command).directory(directory.toFile()).start());
        } catch (IOException e) {
            throw new AssertionError("cannot start the debug adapter " + command, e);
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Sends a request and waits for its response; fails the test if it does not come or is not a success. */
    JsonNode request(String command, JsonNode arguments, Duration timeout) {
        JsonNode response = requestAllowingFailure(command, arguments, timeout);
        if (!response.path("success").asBoolean()) {
            throw new AssertionError("DAP " + command + " failed: " + response + "\n" + describe());
        }
        return response;
    }

    /** Sends a request and waits for its response, successful or not. */
    JsonNode requestAllowingFailure(String command, JsonNode arguments, Duration timeout) {
        int seq;
        synchronized (this) {
            seq = sequence++;
        }
        ObjectNode message = object().put("seq", seq).put("type", "request").put("command", command);
        message.set("arguments", arguments == null ? object() : arguments);
        send(message);
        return await(
                m -> m.path("type").asText().equals("response")
                        && m.path("request_seq").asInt() == seq,
                timeout,
                "the response to " + command);
    }

    /** Waits for an event of that name (any, received so far or later). */
    JsonNode awaitEvent(String event, Duration timeout) {
        return await(
                m -> m.path("type").asText().equals("event")
                        && m.path("event").asText().equals(event),
                timeout,
                "event " + event);
    }

    private JsonNode await(Predicate<JsonNode> matcher, Duration timeout, String description) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (true) {
                for (JsonNode m : received) {
                    if (matcher.test(m)) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    throw new AssertionError("no " + description + " from the debug adapter within "
                            + timeout.toSeconds() + " s" + (process.isAlive() ? "" : " (it exited)") + "\n"
                            + describe());
                }
                try {
                    received.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** The text of every {@code output} event so far (the adapter's debug console). */
    String console() {
        StringBuilder text = new StringBuilder();
        synchronized (received) {
            for (JsonNode m : received) {
                if (m.path("event").asText().equals("output")) {
                    text.append(m.path("body").path("output").asText());
                }
            }
        }
        return text.toString();
    }

    private void send(JsonNode message) {
        byte[] body = message.toString().getBytes(StandardCharsets.UTF_8);
        synchronized (transcript) {
            transcript.append("--> ").append(message).append('\n');
        }
        try {
            toAdapter.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            toAdapter.write(body);
            toAdapter.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to the debug adapter\n" + describe(), e);
        }
    }

    private void read(InputStream in) {
        try {
            while (true) {
                int length = -1;
                String header;
                while (!(header = readLine(in)).isEmpty()) {
                    if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        length = Integer.parseInt(header.substring(15).strip());
                    }
                }
                if (length < 0) {
                    return;
                }
                byte[] body = in.readNBytes(length);
                JsonNode message = JSON.readTree(body);
                synchronized (transcript) {
                    transcript.append("<-- ").append(message).append('\n');
                }
                synchronized (received) {
                    received.add(message);
                    received.notifyAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            synchronized (transcript) {
                transcript.append("(reader stopped: ").append(e).append(")\n");
            }
        }
    }

    /** A header line without its CRLF; at the end of the stream, throws. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("end of the adapter's output");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private void drain(InputStream in) {
        try {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (stderr) {
                    stderr.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            // the adapter exited
        }
    }

    String describe() {
        String messages;
        synchronized (transcript) {
            messages = transcript.toString();
        }
        String errors;
        synchronized (stderr) {
            errors = stderr.toString();
        }
        return "=== DAP messages:\n" + messages + "=== adapter stderr:\n" + errors;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
