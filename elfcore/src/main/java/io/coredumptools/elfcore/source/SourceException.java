package io.coredumptools.elfcore.source;

import java.io.IOException;

/**
 * A {@link FileSource} could not deliver bytes. The message is one line: the location (never credentials), then
 * what happened and what to do, e.g. {@code s3://crashes/core.1: the object changed since it was opened (ETag
 * "a1", now "b2"): open it again}.
 */
public class SourceException extends IOException {
    private final String location;
    private final String reason;
    private final boolean changed;

    /**
     * @param location where the bytes come from, as {@link FileSource#describe()} shows it
     * @param reason what happened and what to do
     * @param changed the object changed since it was opened: every later read fails the same way
     */
    public SourceException(String location, String reason, boolean changed, Throwable cause) {
        super(location + ": " + reason, cause);
        this.location = location;
        this.reason = reason;
        this.changed = changed;
    }

    public String location() {
        return location;
    }

    /** The message without the location. */
    public String reason() {
        return reason;
    }

    /** The object changed since it was opened (its bytes must never be mixed with the old ones). */
    public boolean changed() {
        return changed;
    }
}
