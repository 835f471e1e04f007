package io.coredumptools.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A debuginfod client that fetches {@code /buildid/HEX/executable} and {@code /buildid/HEX/debuginfo} into the
 * cache libdebuginfod uses ({@link DebuginfodCache}), so gdb and corestub share one cache.
 *
 * <p>Servers: the {@code --debuginfod} URLs, then those of {@code DEBUGINFOD_URLS} (separated by spaces),
 * without duplicates; asked in that order, the first 200 wins. A file is downloaded whole (debuginfod ignores
 * Range) and then served as a local file. Honoured like libdebuginfod: {@code DEBUGINFOD_CACHE_PATH},
 * {@code DEBUGINFOD_TIMEOUT} (seconds, default 90), {@code DEBUGINFOD_RETRY_LIMIT} (default 2),
 * {@code DEBUGINFOD_MAXSIZE} (bytes, sent as X-DEBUGINFOD-MAXSIZE).
 */
public final class DebuginfodClient {
    private static final Logger log = LoggerFactory.getLogger(DebuginfodClient.class);
    private static final Pattern BUILD_ID = Pattern.compile("[0-9a-f]{2,128}");
    public static final String EXECUTABLE = "executable";
    public static final String DEBUGINFO = "debuginfo";

    private final List<URI> servers;
    private final Map<String, String> env;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final int retryLimit;
    private final long maxSize;
    private final FetchCounters counters;

    private DebuginfodClient(List<URI> servers, Map<String, String> env, StorageConfig config, FetchCounters counters) {
        this.servers = List.copyOf(servers);
        this.env = Map.copyOf(env);
        this.connectTimeout = config.connectTimeout();
        this.timeout = Duration.ofSeconds(number(env, "DEBUGINFOD_TIMEOUT", 90));
        this.retryLimit = (int) number(env, "DEBUGINFOD_RETRY_LIMIT", 2);
        this.maxSize = number(env, "DEBUGINFOD_MAXSIZE", 0);
        this.counters = counters;
    }

    static DebuginfodClient create(
            List<String> urls, Map<String, String> env, StorageConfig config, FetchCounters counters)
            throws StorageException {
        Set<String> all = new LinkedHashSet<>();
        for (String url : urls) all.add(normalize(url));
        String fromEnv = env.get("DEBUGINFOD_URLS");
        if (fromEnv != null) {
            for (String url : fromEnv.trim().split("\\s+")) {
                if (!url.isEmpty()) all.add(normalize(url));
            }
        }
        List<URI> servers = new ArrayList<>();
        for (String url : all) {
            try {
                URI uri = URI.create(url);
                if (uri.getHost() == null || !uri.getScheme().matches("https?")) throw new IllegalArgumentException();
                servers.add(uri);
            } catch (IllegalArgumentException e) {
                throw new StorageException(
                        StorageException.Reason.INVALID_LOCATION,
                        url,
                        "not a debuginfod server URL (http:// or https://)");
            }
        }
        return new DebuginfodClient(servers, env, config, counters);
    }

    /** Without a trailing slash, as libdebuginfod accepts both {@code http://h:8002} and {@code http://h:8002/}. */
    private static String normalize(String url) {
        String u = url.trim();
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        return u;
    }

    private static long number(Map<String, String> env, String name, long defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return defaultValue;
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }

    public boolean isEnabled() {
        return !servers.isEmpty();
    }

    public List<URI> servers() {
        return servers;
    }

    /** The cache directory this client uses (libdebuginfod's, for this environment). */
    public Path cacheDirectory() throws StorageException {
        return cache().root();
    }

    public Optional<LazyFile> executable(String buildId) throws StorageException {
        return find(buildId, EXECUTABLE);
    }

    public Optional<LazyFile> debuginfo(String buildId) throws StorageException {
        return find(buildId, DEBUGINFO);
    }

    /**
     * The cached file, else the first server's answer. Empty when every server said 404 (recorded in the
     * negative cache) or the negative cache says so.
     *
     * @throws StorageException no server has it and at least one could not be asked (not recorded as a miss)
     */
    public Optional<LazyFile> find(String buildId, String type) throws StorageException {
        String id = buildId.toLowerCase(Locale.ROOT);
        if (!BUILD_ID.matcher(id).matches()) {
            throw new StorageException(
                    StorageException.Reason.INVALID_LOCATION, "build-id " + buildId, "not a hex build-id");
        }
        if (servers.isEmpty()) return Optional.empty();
        DebuginfodCache cache = cache();
        String what = "debuginfod " + type + " " + id;
        try {
            DebuginfodCache.Lookup lookup = cache.lookup(id, type);
            if (lookup instanceof DebuginfodCache.Hit hit) {
                counters.cacheHit();
                return Optional.of(LocalFile.open(hit.file(), what + " (cached in " + hit.file() + ")"));
            }
            if (lookup instanceof DebuginfodCache.KnownMissing) {
                log.debug("{}: known missing (negative cache)", what);
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new StorageException(
                    StorageException.Reason.CACHE, cache.root().toString(), "debuginfod cache: " + e.getMessage(), e);
        }
        List<String> failures = new ArrayList<>();
        for (URI server : servers) {
            URI url = URI.create(server + "/buildid/" + id + "/" + type);
            for (int attempt = 0; attempt <= retryLimit; attempt++) {
                counters.request();
                try {
                    Optional<Path> file = download(cache, url, id, type);
                    if (file.isEmpty()) break; // 404: try the next server
                    counters.cacheMiss();
                    counters.chunkFetched(java.nio.file.Files.size(file.get()));
                    return Optional.of(LocalFile.open(file.get(), what + " from " + Location.Http.sanitize(server)));
                } catch (StorageException e) {
                    failures.add(e.getMessage());
                    break;
                } catch (IOException e) {
                    if (attempt == retryLimit) {
                        failures.add(Location.Http.sanitize(url) + ": " + RetryPolicy.describe(e));
                    } else {
                        counters.retry();
                    }
                }
            }
        }
        if (failures.isEmpty()) {
            try {
                cache.storeMiss(id, type);
            } catch (IOException e) {
                log.debug("{}: cannot record the miss: {}", what, e.toString());
            }
            return Optional.empty();
        }
        cache.forget(id);
        throw new StorageException(
                StorageException.Reason.UNAVAILABLE, what, "no server answered: " + String.join("; ", failures));
    }

    private DebuginfodCache cache() throws StorageException {
        try {
            return DebuginfodCache.locate(env);
        } catch (IOException e) {
            throw new StorageException(
                    StorageException.Reason.CACHE, "debuginfod cache", "cannot be created: " + e.getMessage(), e);
        }
    }

    /** The stored file, or empty on 404; IOException for transient failures. */
    private Optional<Path> download(DebuginfodCache cache, URI url, String id, String type)
            throws IOException, StorageException {
        HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
        try {
            connection.setConnectTimeout((int) connectTimeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setRequestProperty("User-Agent", "coredump-tools-storage (debuginfod client)");
            if (maxSize > 0) connection.setRequestProperty("X-DEBUGINFOD-MAXSIZE", Long.toString(maxSize));
            int status = connection.getResponseCode();
            if (status == 404) {
                drain(connection.getErrorStream());
                return Optional.empty();
            }
            if (status == 406) {
                throw new StorageException(
                        StorageException.Reason.PROTOCOL,
                        Location.Http.sanitize(url),
                        "larger than DEBUGINFOD_MAXSIZE (" + maxSize + " bytes)");
            }
            if (status >= 500 || status == 429 || status == 408) {
                drain(connection.getErrorStream());
                throw new IOException("HTTP " + status);
            }
            if (status != 200) {
                drain(connection.getErrorStream());
                throw new StorageException(
                        StorageException.Reason.PROTOCOL, Location.Http.sanitize(url), "answered HTTP " + status);
            }
            Instant lastModified = parseHttpDate(connection.getHeaderField("Last-Modified"));
            try (InputStream in = connection.getInputStream()) {
                return Optional.of(cache.store(id, type, in, lastModified, maxSize));
            }
        } catch (IOException e) {
            connection.disconnect();
            throw e;
        }
    }

    private static Instant parseHttpDate(String value) {
        if (value == null) return null;
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void drain(InputStream in) {
        if (in == null) return;
        try (in) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // Only a keep-alive connection is lost.
        }
    }
}
