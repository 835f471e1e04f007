package io.coredumptools.elfcore.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * A stand-in for a remote object that behaves like the storage module's cache: a sparse file of the original's
 * size in which a chunk's bytes appear only once {@link #ensure ensured} (copied from the original). A reader that
 * forgets to ensure reads zeros, so a test over it fails. Shared with the emulator's tests through this module's test
 * jar.
 */
public final class CopyOnEnsureSource implements FileSource {
    private final Path original;
    private final Path local;
    private final long size;
    private final long chunk;
    private final BitSet present = new BitSet();
    private long bytesCopied;
    private boolean closed;

    public CopyOnEnsureSource(Path original, Path cacheDir, long chunk) {
        try {
            this.original = original;
            this.size = Files.size(original);
            this.chunk = chunk;
            this.local = Files.createTempFile(cacheDir, "data", "");
            try (FileChannel c = FileChannel.open(local, StandardOpenOption.WRITE)) {
                if (size > 0) {
                    c.write(ByteBuffer.allocate(1), size - 1); // the object's size, all holes but the last byte
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Path localPath() {
        return local;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String describe() {
        return "test://" + original;
    }

    @Override
    public boolean isComplete() {
        return false;
    }

    @Override
    public long chunkSize() {
        return chunk;
    }

    @Override
    public synchronized void ensure(long offset, long length) throws SourceException {
        if (closed) {
            throw new SourceException(describe(), "closed", false, null);
        }
        long end = Math.min(size, offset + length);
        if (length <= 0 || offset >= end) {
            return;
        }
        try (FileChannel in = FileChannel.open(original, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(local, StandardOpenOption.WRITE)) {
            for (long c = offset / chunk; c * chunk < end; c++) {
                if (present.get((int) c)) {
                    continue;
                }
                long start = c * chunk;
                int n = (int) Math.min(chunk, size - start);
                ByteBuffer buffer = ByteBuffer.allocate(n);
                while (buffer.hasRemaining() && in.read(buffer, start + buffer.position()) >= 0) {}
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer, start + buffer.position());
                }
                present.set((int) c);
                bytesCopied += n;
            }
        } catch (IOException e) {
            throw new SourceException(describe(), "cannot copy: " + e.getMessage(), false, e);
        }
    }

    public synchronized long bytesCopied() {
        return bytesCopied;
    }

    @Override
    public FetchFigures figures() {
        return new FetchFigures(bytesCopied(), 0, 0, 0, 0, 0, 0);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
