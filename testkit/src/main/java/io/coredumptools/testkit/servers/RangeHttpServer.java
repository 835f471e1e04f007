package io.coredumptools.testkit.servers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small real HTTP/1.1 file server on 127.0.0.1 (the JDK's com.sun.net.httpserver, keep-alive), serving a
 * directory with Range, ETag, Last-Modified, If-Match, If-Unmodified-Since and If-Range, as nginx does; each
 * behaviour can be switched off to play a poorer server. Records every request.
 */
public final class RangeHttpServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    public enum Etags {
        STRONG,
        WEAK,
        NONE
    }

    public record Request(
            String method,
            String path,
            String range,
            String ifMatch,
            String ifUnmodifiedSince,
            int remotePort,
            int status,
            long bytesSent) {}

    private final Path root;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /**
     * Requests being answered. A client has its bytes before the server logs the request, so every read of the log
     * first waits for the answers in progress: a late entry must never land after a clear.
     */
    private final AtomicInteger inFlight = new AtomicInteger();

    private volatile Etags etags = Etags.STRONG;
    private volatile boolean lastModified = true;
    private volatile boolean ranges = true;
    private volatile String basicAuth;

    public RangeHttpServer(Path root) throws IOException {
        this.root = root;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI url(String relative) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + relative);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public RangeHttpServer etags(Etags mode) {
        this.etags = mode;
        return this;
    }

    public RangeHttpServer lastModified(boolean send) {
        this.lastModified = send;
        return this;
    }

    public RangeHttpServer ranges(boolean honour) {
        this.ranges = honour;
        return this;
    }

    public RangeHttpServer requireBasicAuth(String user, String password) {
        this.basicAuth =
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public List<Request> requests() {
        awaitAnswered();
        return List.copyOf(requests);
    }

    /** Requests that asked for more than the one byte of an open's probe. */
    public List<Request> chunkRequests() {
        awaitAnswered();
        return requests.stream()
                .filter(r -> r.range() != null && !r.range().equals("bytes=0-0"))
                .toList();
    }

    public Set<Integer> connections() {
        awaitAnswered();
        Set<Integer> ports = ConcurrentHashMap.newKeySet();
        requests.forEach(r -> ports.add(r.remotePort()));
        return ports;
    }

    public void clearRequests() {
        awaitAnswered();
        requests.clear();
    }

    private void awaitAnswered() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
        String ifUnmodifiedSince = exchange.getRequestHeaders().getFirst("If-Unmodified-Since");
        int[] status = {0};
        long[] sent = {0};
        inFlight.incrementAndGet();
        try (exchange) {
            respond(exchange, range, ifMatch, ifUnmodifiedSince, status, sent);
        } finally {
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    range,
                    ifMatch,
                    ifUnmodifiedSince,
                    exchange.getRemoteAddress().getPort(),
                    status[0],
                    sent[0]));
            inFlight.decrementAndGet();
        }
    }

    private void respond(
            HttpExchange exchange, String range, String ifMatch, String ifUnmodifiedSince, int[] status, long[] sent)
            throws IOException {
        if (basicAuth != null && !basicAuth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, status, 401, -1);
            return;
        }
        String decoded = URI.create(exchange.getRequestURI().getRawPath()).getPath();
        Path file = root.resolve(decoded.substring(1)).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            send(exchange, status, 404, -1);
            return;
        }
        long size = Files.size(file);
        Instant modified = Files.getLastModifiedTime(file).toInstant();
        String etag = "\"" + Long.toHexString(modified.getEpochSecond()) + "-" + Long.toHexString(modified.getNano())
                + "-" + Long.toHexString(size) + "\"";
        var headers = exchange.getResponseHeaders();
        if (etags == Etags.STRONG) headers.set("ETag", etag);
        if (etags == Etags.WEAK) headers.set("ETag", "W/" + etag);
        String httpDate =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(modified, ZoneOffset.UTC));
        if (lastModified) headers.set("Last-Modified", httpDate);
        if (ranges) headers.set("Accept-Ranges", "bytes");

        if (ifMatch != null && !(etags == Etags.STRONG && (ifMatch.equals(etag) || ifMatch.equals("*")))) {
            send(exchange, status, 412, -1);
            return;
        }
        if (ifUnmodifiedSince != null) {
            Instant since = ZonedDateTime.parse(ifUnmodifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            if (modified.getEpochSecond() > since.getEpochSecond()) {
                send(exchange, status, 412, -1);
                return;
            }
        }
        String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
        boolean rangeValid = ifRange == null || ifRange.equals(etag) || ifRange.equals(httpDate);
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (ranges && rangeValid && m != null && m.matches()) {
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
            if (first >= size) {
                headers.set("Content-Range", "bytes */" + size);
                send(exchange, status, 416, -1);
                return;
            }
            headers.set("Content-Range", "bytes " + first + "-" + last + "/" + size);
            status[0] = 206;
            exchange.sendResponseHeaders(206, last - first + 1);
            sent[0] = copy(file, first, last - first + 1, exchange.getResponseBody());
            return;
        }
        status[0] = 200;
        exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
        sent[0] = copy(file, 0, size, exchange.getResponseBody());
    }

    private static void send(HttpExchange exchange, int[] status, int code, long length) throws IOException {
        status[0] = code;
        exchange.sendResponseHeaders(code, length);
    }

    private static long copy(Path file, long offset, long length, OutputStream out) throws IOException {
        long sent = 0;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(offset);
            byte[] buffer = new byte[64 * 1024];
            while (sent < length) {
                int n = raf.read(buffer, 0, (int) Math.min(buffer.length, length - sent));
                if (n < 0) break;
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    break; // the client hung up (it disconnects from answers it does not want)
                }
                sent += n;
            }
        }
        return sent;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
