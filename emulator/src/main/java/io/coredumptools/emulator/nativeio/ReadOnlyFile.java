package io.coredumptools.emulator.nativeio;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file descriptor opened {@code O_RDONLY}, to mmap from. Files the image maps (the core, the
 * program, libraries) are never written: every mapping of them is MAP_PRIVATE.
 */
public final class ReadOnlyFile implements AutoCloseable {
    private final Path path;
    private final long size;
    private int fd;

    private ReadOnlyFile(Path path, long size, int fd) {
        this.path = path;
        this.size = size;
        this.fd = fd;
    }

    public static ReadOnlyFile open(Path path) {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + path, e);
        }
        try {
            int fd = LibC.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
            return new ReadOnlyFile(path, size, fd);
        } catch (LastErrorException e) {
            throw new NativeIoException("open(" + path + ", O_RDONLY)", e.getErrorCode());
        }
    }

    public Path path() {
        return path;
    }

    /** The size when opened; the files are not expected to change while mapped. */
    public long size() {
        return size;
    }

    int fd() {
        if (fd < 0) {
            throw new IllegalStateException(path + " is closed");
        }
        return fd;
    }

    /** Closing does not affect existing mappings of the file: the kernel keeps its own reference. */
    @Override
    public void close() {
        if (fd >= 0) {
            try {
                LibC.close(fd);
            } catch (LastErrorException e) {
                throw new NativeIoException("close(" + path + ")", e.getErrorCode());
            } finally {
                fd = -1;
            }
        }
    }
}
