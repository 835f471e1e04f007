package io.coredumptools.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object served over HTTP(S) and read with ranged GETs on keep-alive connections (the JDK's
 * HttpURLConnection pool).
 *
 * <p>Change detection: with a strong ETag every range request carries {@code If-Match: ETAG}; without one it
 * carries {@code If-Unmodified-Since: LAST-MODIFIED}. A 412 is {@link StorageException.Reason#CHANGED}; so is a
 * 206 whose ETag, Last-Modified or total length (Content-Range) differ from the version opened, in case a server
 * ignores the condition. An object with neither validator is refused, since a change could not be detected.
 */
final class HttpRangeSource implements RangeSource {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)");

    private final URI uri;
    private final String description;
    private final String authorization;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    HttpRangeSource(Location.Http location, Duration connectTimeout, Duration readTimeout) {
        URI given = location.uri();
        this.description = location.describe();
        String userInfo = given.getRawUserInfo();
        this.authorization = userInfo == null
                ? null
                : "Basic "
                        + Base64.getEncoder()
                                .encodeToString(URLDecoder.decode(userInfo, StandardCharsets.UTF_8)
                                        .getBytes(StandardCharsets.UTF_8));
        this.uri =
                URI.create(given.getScheme() + "://" + given.getRawAuthority().replaceFirst("^.*@", "")
                        + (given.getRawPath() == null ? "" : given.getRawPath())
                        + (given.getRawQuery() == null ? "" : "?" + given.getRawQuery()));
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String cacheIdentity() {
        // The query is left out: presigned URLs carry a new signature every time for the same object; the
        // validator and size in the cache key tell versions apart.
        return "http\n" + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }

    /** A one-byte range request: proves Range support and gives size, ETag and Last-Modified at once. */
    @Override
    public ObjectVersion head() throws IOException, StorageException {
        HttpURLConnection connection = open();
        try {
            connection.setRequestProperty("Range", "bytes=0-0");
            int status = connection.getResponseCode();
            String etag = connection.getHeaderField("ETag");
            String lastModified = connection.getHeaderField("Last-Modified");
            if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(header(connection, "Content-Range"));
                if (!m.matches() || m.group(3).equals("*")) {
                    throw protocol("answered 206 with an unusable Content-Range '"
                            + connection.getHeaderField("Content-Range") + "'");
                }
                drain(connection);
                return checkValidators(new ObjectVersion(Long.parseLong(m.group(3)), etag, lastModified));
            }
            if (status == 416) {
                // An empty object: no byte 0 to serve.
                Matcher m = UNSATISFIED_RANGE.matcher(header(connection, "Content-Range"));
                drainQuietly(connection);
                if (m.matches() && Long.parseLong(m.group(1)) == 0) {
                    return checkValidators(new ObjectVersion(0, etag, lastModified));
                }
                throw protocol("answered 416 to a request for its first byte");
            }
            if (status == 200) {
                connection.disconnect(); // do not read a whole object we asked one byte of
                throw protocol("ignores Range requests (answered 200 to a ranged GET); serve it from a server that"
                        + " supports ranges (nginx, S3, python3 -m RangeHTTPServer) or download it");
            }
            throw failure(connection, status, "the first byte");
        } finally {
            drainQuietly(connection);
        }
    }

    private ObjectVersion checkValidators(ObjectVersion version) throws StorageException {
        if (!version.hasStrongEtag() && version.lastModified() == null) {
            throw protocol("sends neither a strong ETag nor Last-Modified, so a change of the file while it is"
                    + " read could not be detected; serve it from a server that sends them");
        }
        return version;
    }

    @Override
    public void fetch(long offset, long length, ObjectVersion version, Body body) throws IOException, StorageException {
        HttpURLConnection connection = open();
        try {
            long last = offset + length - 1;
            connection.setRequestProperty("Range", "bytes=" + offset + "-" + last);
            if (version.hasStrongEtag()) {
                connection.setRequestProperty("If-Match", version.etag());
            } else {
                connection.setRequestProperty("If-Unmodified-Since", version.lastModified());
            }
            int status = connection.getResponseCode();
            if (status == 412) {
                drainQuietly(connection);
                throw changed(version, "the server answered 412 Precondition Failed");
            }
            if (status == 200) {
                connection.disconnect();
                if (!sameVersion(connection, version)) throw changed(version, "the server sent another version");
                throw protocol("stopped honouring Range requests (answered 200 to a ranged GET)");
            }
            if (status != 206) throw failure(connection, status, range(offset, last));
            if (!sameVersion(connection, version)) {
                connection.disconnect();
                throw changed(version, "the server sent another version");
            }
            Matcher m = CONTENT_RANGE.matcher(header(connection, "Content-Range"));
            if (!m.matches()
                    || Long.parseLong(m.group(1)) != offset
                    || Long.parseLong(m.group(2)) != last
                    || (!m.group(3).equals("*") && Long.parseLong(m.group(3)) != version.size())) {
                connection.disconnect();
                if (m.matches() && !m.group(3).equals("*") && Long.parseLong(m.group(3)) != version.size()) {
                    throw changed(version, "its size is now " + m.group(3) + " bytes");
                }
                throw protocol("answered " + range(offset, last) + " with Content-Range '"
                        + connection.getHeaderField("Content-Range") + "'");
            }
            try (InputStream in = connection.getInputStream()) {
                body.read(in);
            }
        } catch (IOException | StorageException | RuntimeException e) {
            connection.disconnect(); // a half-read connection must not go back to the keep-alive pool
            throw e;
        }
    }

    private static boolean sameVersion(HttpURLConnection connection, ObjectVersion version) {
        String etag = connection.getHeaderField("ETag");
        String lastModified = connection.getHeaderField("Last-Modified");
        if (version.etag() != null && etag != null && !weakEquals(etag, version.etag())) return false;
        return version.etag() != null
                || version.lastModified() == null
                || lastModified == null
                || lastModified.equals(version.lastModified());
    }

    private static boolean weakEquals(String a, String b) {
        return a.replaceFirst("^W/", "").equals(b.replaceFirst("^W/", ""));
    }

    private HttpURLConnection open() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setConnectTimeout((int) connectTimeout.toMillis());
        connection.setReadTimeout((int) readTimeout.toMillis());
        connection.setUseCaches(false);
        connection.setRequestProperty("Accept-Encoding", "identity"); // byte ranges of the stored bytes
        connection.setRequestProperty("User-Agent", "coredump-tools-storage");
        if (authorization != null) connection.setRequestProperty("Authorization", authorization);
        return connection;
    }

    private static String header(HttpURLConnection connection, String name) {
        String value = connection.getHeaderField(name);
        return value == null ? "" : value.trim();
    }

    private StorageException failure(HttpURLConnection connection, int status, String what) throws IOException {
        drainQuietly(connection);
        if (status == 404 || status == 410) {
            return new StorageException(
                    StorageException.Reason.NOT_FOUND, description, "no such file (HTTP " + status + ")");
        }
        if (status == 401 || status == 403) {
            return new StorageException(
                    StorageException.Reason.ACCESS_DENIED,
                    description,
                    "access denied (HTTP " + status + "); check the user and password or token in the URL");
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw new IOException("HTTP " + status + " for " + what);
        }
        return new StorageException(
                StorageException.Reason.PROTOCOL, description, "answered HTTP " + status + " to a request for " + what);
    }

    private StorageException changed(ObjectVersion version, String how) {
        return new StorageException(
                StorageException.Reason.CHANGED,
                description,
                "changed since it was opened (" + version.validator() + "; " + how
                        + "); its bytes would be mixed from two versions, so reading stops: open it again");
    }

    private StorageException protocol(String message) {
        return new StorageException(StorageException.Reason.PROTOCOL, description, message);
    }

    private static String range(long first, long last) {
        return "bytes " + first + "-" + last;
    }

    private static void drain(HttpURLConnection connection) throws IOException {
        try (InputStream in = connection.getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static void drainQuietly(HttpURLConnection connection) {
        try {
            InputStream error = connection.getErrorStream();
            if (error != null) {
                try (error) {
                    error.transferTo(OutputStream.nullOutputStream());
                }
            }
        } catch (IOException ignored) {
            // Only a keep-alive connection is lost.
        }
    }
}
