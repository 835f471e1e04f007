package io.coredumptools.storage;

import java.io.IOException;
import java.io.InputStream;

/** One remote object as a store serves it: its current version, and byte ranges of exactly that version. */
interface RangeSource {

    /** The location for messages (no credentials). */
    String describe();

    /** Identifies the object (not its version) in the cache key: store, endpoint, bucket and key, or URL. */
    String cacheIdentity();

    /**
     * The object's current size and validators.
     *
     * @throws IOException a transient failure worth retrying (connection refused or reset, timeout, 5xx)
     * @throws StorageException a definite answer: not found, access denied, unusable
     */
    ObjectVersion head() throws IOException, StorageException;

    /**
     * Fetches {@code [offset, offset+length)} on the condition that the object still is {@code version}, and hands
     * the body to {@code body}, which must read exactly {@code length} bytes.
     *
     * @throws IOException a transient failure worth retrying, including a body cut short
     * @throws StorageException {@link StorageException.Reason#CHANGED} when the object is no longer {@code
     *     version}; other definite answers; or whatever {@code body} throws
     */
    void fetch(long offset, long length, ObjectVersion version, Body body) throws IOException, StorageException;

    /** Consumes a response body. */
    @FunctionalInterface
    interface Body {
        void read(InputStream in) throws IOException, StorageException;
    }
}
