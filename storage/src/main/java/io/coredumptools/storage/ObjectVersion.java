package io.coredumptools.storage;

/**
 * The version of a remote object that a {@link LazyFile} serves: every chunk is fetched on the condition that
 * the object still has this version, so a changed object is an error instead of a file of mixed bytes.
 *
 * @param size the object's length in bytes
 * @param etag the entity tag as the store sent it (quotes included), or null
 * @param lastModified the Last-Modified header as the store sent it, or null
 */
record ObjectVersion(long size, String etag, String lastModified) {

    /** A strong ETag can be used with If-Match; a weak one ({@code W/"…"}) never matches (RFC 9110 §13.1.1). */
    boolean hasStrongEtag() {
        return etag != null && !etag.startsWith("W/");
    }

    /** What identifies this version in the cache key and in messages. */
    String validator() {
        if (etag != null) return "ETag " + etag;
        if (lastModified != null) return "Last-Modified " + lastModified;
        return "size " + size;
    }
}
