package io.coredumptools.elfcore;

import io.coredumptools.elfcore.source.FileSource;
import io.coredumptools.elfcore.source.FileSources;
import io.coredumptools.elfcore.source.SourceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file opened read-only, read by positional reads only where asked: a 20 GB core is never read whole.
 * Counts the bytes it has read, so tests can show how little of a core a command touches. When the file holds a
 * remote object's bytes ({@link FileSources}), each read first {@link FileSource#ensure ensures} its range.
 */
public final class FileBytes implements AutoCloseable {
    private static final long MAX_STRUCTURE_BYTES = Integer.MAX_VALUE - 64;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final AtomicLong bytesRead = new AtomicLong();
    /** Null for a local file: nothing to ensure. */
    private final FileSource source;

    private FileBytes(Path path, FileChannel channel, long size, FileSource source) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.source = source;
    }

    /**
     * Opens {@code path} read-only; the file is never written. A path that holds a remote file's bytes is read
     * through that file's {@link FileSource}.
     */
    public static FileBytes open(Path path) throws CoreFormatException {
        return open(path, FileSources.find(path).orElse(null));
    }

    /** Opens the local file of {@code source}, ensuring every range before it is read. */
    public static FileBytes open(FileSource source) throws CoreFormatException {
        return open(source.localPath(), source);
    }

    private static FileBytes open(Path path, FileSource source) throws CoreFormatException {
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            boolean remote = source != null && !source.isComplete();
            // A cache file has the object's size from the start; a local file is measured as it is now.
            long size = remote ? source.size() : channel.size();
            return new FileBytes(path, channel, size, remote ? source : null);
        } catch (IOException | SecurityException e) {
            throw new CoreFormatException(path, "cannot be opened for reading: " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }

    public Path path() {
        return path;
    }

    public long size() {
        return size;
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    public boolean contains(long offset, long length) {
        return offset >= 0 && length >= 0 && offset <= size && length <= size - offset;
    }

    /**
     * Reads exactly {@code length} bytes at {@code offset} into a little-endian buffer.
     *
     * @param what names the structure being read, for the error message
     */
    public ByteBuffer read(long offset, long length, String what) throws CoreFormatException {
        if (!contains(offset, length)) {
            throw new CoreFormatException(
                    path,
                    what + " at file offset 0x" + Long.toHexString(offset) + " (+" + length
                            + " bytes) lies beyond the end of the file (" + size
                            + " bytes): the file is truncated or corrupt");
        }
        ByteBuffer buffer = ByteBuffer.allocate(checkedLength(length, what)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(offset, buffer, what);
        return buffer.flip();
    }

    /** Reads what exists of {@code [offset, offset+length)}: fewer bytes (possibly none) past the end of the file. */
    public ByteBuffer readAvailable(long offset, long length, String what) throws CoreFormatException {
        requireInFile(offset, what);
        long available = Math.max(0, Math.min(length, size - offset));
        ByteBuffer buffer = ByteBuffer.allocate(checkedLength(available, what)).order(ByteOrder.LITTLE_ENDIAN);
        readAvailable(offset, buffer, what);
        return buffer.flip();
    }

    /**
     * Reads what exists of {@code [offset, offset+into.remaining())} into {@code into} (no buffer of its own in
     * between); returns how many bytes were read, fewer (possibly none) past the end of the file.
     */
    public int readAvailable(long offset, ByteBuffer into, String what) throws CoreFormatException {
        requireInFile(offset, what);
        int available = (int) Math.max(0, Math.min(into.remaining(), size - offset));
        ByteBuffer part = into.slice(into.position(), available);
        readFully(offset, part, "data");
        into.position(into.position() + available);
        return available;
    }

    private void requireInFile(long offset, String what) throws CoreFormatException {
        if (offset < 0) {
            throw new CoreFormatException(
                    path,
                    what + " at file offset 0x" + Long.toHexString(offset)
                            + ", before the start of the file: the file is corrupt");
        }
    }

    /** Structures are read whole into memory: one claiming 2 GiB or more is corrupt, not a reason to die. */
    private int checkedLength(long length, String what) throws CoreFormatException {
        if (length > MAX_STRUCTURE_BYTES) {
            throw new CoreFormatException(
                    path,
                    what + " claims " + length + " bytes, more than the " + MAX_STRUCTURE_BYTES
                            + " this reader accepts: the file is corrupt");
        }
        return (int) length;
    }

    private void readFully(long offset, ByteBuffer buffer, String what) throws CoreFormatException {
        if (source != null && buffer.hasRemaining()) {
            try {
                source.ensure(offset, buffer.remaining());
            } catch (SourceException e) {
                throw new CoreFormatException(
                        path,
                        "cannot read " + what + " at offset 0x" + Long.toHexString(offset) + ": " + e.reason(),
                        e);
            }
        }
        // A FileChannel closes itself when a thread with its interrupt flag set reads from it, and the channel is
        // shared (every session of a core reads through it): the flag is held back for the read and set again after.
        boolean interrupted = Thread.interrupted();
        try {
            long position = offset;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw new CoreFormatException(
                            path, what + ": unexpected end of file at offset 0x" + Long.toHexString(position));
                }
                position += n;
                bytesRead.addAndGet(n);
            }
        } catch (IOException e) {
            throw new CoreFormatException(
                    path, "read error at offset 0x" + Long.toHexString(offset) + ": " + describe(e), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Read-only channel: nothing can be lost by a failed close.
        }
    }
}
