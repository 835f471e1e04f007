package io.coredumptools.rsp.target;

import java.io.IOException;
import java.util.Optional;

/** Host files the client may read (vFile), read-only: the core's own files, opened once at load. */
public interface HostIoTarget {
    /** A served file: regular file contents, or a document generated from the core. */
    interface ServedFile {
        long size() throws IOException;

        /** Up to {@code count} bytes at {@code offset} (fewer at the end). */
        byte[] read(long offset, int count) throws IOException;

        /** The protocol's {@code struct stat} (big-endian, 64 bytes). */
        byte[] stat() throws IOException;
    }

    /** What {@code path} (as the process saw it) opens, if it is one of the core's files. */
    Optional<ServedFile> open(String path);

    /** The target of a symbolic link the client asks about ({@code /proc/PID/exe}). */
    Optional<String> readlink(String path);
}
