package io.coredumptools.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a file lives: a local path, {@code s3://BUCKET/KEY}, or an {@code http(s)://} URL. Parsing is strict so a
 * typo is reported at once; {@link #describe()} never shows a URL's user-info or query (presigned signatures).
 */
public sealed interface Location permits Location.Local, Location.S3, Location.Http {

    /** For messages: the location without credentials. */
    String describe();

    /**
     * The location of {@code relative} (a path like {@code usr/lib/x/libc.so.6}, no leading slash) under this
     * location taken as a directory, as {@code --files PREFIX} and {@code --map OLD=NEW} need.
     */
    Location child(String relative);

    /** Parses {@code s3://BUCKET/KEY}, {@code http://…}, {@code https://…}, {@code file:///…} or a local path. */
    static Location parse(String text) throws StorageException {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("s3://")) {
            String rest = text.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String key = slash < 0 ? "" : rest.substring(slash + 1);
            if (bucket.isEmpty()) {
                throw new StorageException(
                        StorageException.Reason.INVALID_LOCATION, text, "no bucket name (expected s3://BUCKET/KEY)");
            }
            return new S3(bucket, key);
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                URI uri = new URI(text);
                if (uri.getHost() == null) {
                    throw new StorageException(
                            StorageException.Reason.INVALID_LOCATION, Http.sanitize(uri), "no host name in the URL");
                }
                return new Http(uri);
            } catch (URISyntaxException e) {
                throw new StorageException(
                        StorageException.Reason.INVALID_LOCATION,
                        "URL",
                        "malformed URL (" + e.getReason() + " at index " + e.getIndex() + ")");
            }
        }
        if (lower.startsWith("file://")) {
            try {
                return new Local(Path.of(new URI(text)));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new StorageException(StorageException.Reason.INVALID_LOCATION, text, "malformed file URL");
            }
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new StorageException(
                    StorageException.Reason.INVALID_LOCATION,
                    text.substring(0, lower.indexOf("://") + 3) + "…",
                    "unsupported scheme (use a local path, s3://BUCKET/KEY, http:// or https://)");
        }
        return new Local(Path.of(text));
    }

    /** A local file, read in place. */
    record Local(Path path) implements Location {
        @Override
        public String describe() {
            return path.toString();
        }

        @Override
        public Location child(String relative) {
            return new Local(path.resolve(relative));
        }
    }

    /** An object in an S3 bucket (AWS or any S3-compatible store, see {@link StorageConfig#s3Endpoint()}). */
    record S3(String bucket, String key) implements Location {
        @Override
        public String describe() {
            return "s3://" + bucket + "/" + key;
        }

        @Override
        public Location child(String relative) {
            String prefix = key.isEmpty() || key.endsWith("/") ? key : key + "/";
            return new S3(bucket, prefix + relative);
        }
    }

    /** A file served over HTTP(S), read with ranged GETs. */
    record Http(URI uri) implements Location {
        @Override
        public String describe() {
            return sanitize(uri);
        }

        @Override
        public Location child(String relative) {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (!path.endsWith("/")) path = path + "/";
            StringBuilder encoded = new StringBuilder(path);
            String[] segments = relative.split("/", -1);
            for (int i = 0; i < segments.length; i++) {
                if (i > 0) encoded.append('/');
                encoded.append(PercentEncoding.pathSegment(segments[i]));
            }
            return new Http(URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + encoded));
        }

        /** scheme://host[:port]/path: no user-info, no query, no fragment. */
        static String sanitize(URI uri) {
            StringBuilder s = new StringBuilder();
            s.append(uri.getScheme()).append("://").append(uri.getHost());
            if (uri.getPort() >= 0) s.append(':').append(uri.getPort());
            s.append(uri.getRawPath() == null ? "" : uri.getRawPath());
            if (uri.getRawQuery() != null) s.append("?…");
            return s.toString();
        }
    }
}
