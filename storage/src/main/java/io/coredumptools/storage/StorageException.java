package io.coredumptools.storage;

/**
 * A source could not be read. The message is one line that names the location (never credentials) and says
 * what to do; {@link #reason()} lets callers tell "try the next candidate" from "stop".
 */
public final class StorageException extends Exception {

    public enum Reason {
        /** The object, bucket or file does not exist (HTTP 404, NoSuchKey, NoSuchBucket, ENOENT). */
        NOT_FOUND,
        /** The object changed since it was opened (ETag or Last-Modified differ): its bytes must not be mixed. */
        CHANGED,
        /** The store refused the credentials or the request (HTTP 401/403). */
        ACCESS_DENIED,
        /** The store could not be reached or kept failing after retries (connection refused, timeouts, 5xx). */
        UNAVAILABLE,
        /** The store answered something that cannot be used (no Range support, wrong length, no validator). */
        PROTOCOL,
        /** The local cache could not store or read a chunk (disk full, permissions). */
        CACHE,
        /** The location itself is malformed. */
        INVALID_LOCATION
    }

    private final Reason reason;
    private final String location;

    public StorageException(Reason reason, String location, String message) {
        this(reason, location, message, null);
    }

    public StorageException(Reason reason, String location, String message, Throwable cause) {
        super(location + ": " + message, cause);
        this.reason = reason;
        this.location = location;
    }

    public Reason reason() {
        return reason;
    }

    /** The location as shown to people (credentials and query strings removed). */
    public String location() {
        return location;
    }
}
