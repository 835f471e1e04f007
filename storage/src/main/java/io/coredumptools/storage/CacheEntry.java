package io.coredumptools.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * One object version in the on-disk cache: a directory with
 *
 * <ul>
 *   <li>{@code data}: a sparse file of the object's size; only fetched chunks are ever written, so bytes never
 *       fetched are never stored;
 *   <li>{@code chunks}: the chunk map, a 64-byte header then 8 bytes per chunk (a "present" marker and the
 *       CRC32C of the chunk's bytes, written after the bytes); a chunk counts only if its CRC matches, so a
 *       crash or a torn write can never make zeros pass for data;
 *   <li>{@code lock}: held with a shared lock by every process that has the entry open, so an evicting process
 *       (which needs the exclusive lock) never deletes a file in use; its mtime is the entry's last use;
 *   <li>{@code info}: what the entry holds, for people.
 * </ul>
 *
 * Several processes fill one entry at once: the writer of a chunk holds an exclusive POSIX lock on that chunk's
 * 8 map bytes, so a chunk is fetched once even when two processes want it. Within one JVM there is one instance
 * per entry ({@link ChunkCache} keeps them), because POSIX locks do not exclude threads of one process.
 */
final class CacheEntry {
    static final String DATA = "data";
    static final String CHUNKS = "chunks";
    static final String LOCK = "lock";
    static final String INFO = "info";
    static final int HEADER_BYTES = 64;
    static final int SLOT_BYTES = 8;
    private static final long MAGIC = 0x314b4e4843544443L; // "CDTCHNK1" little-endian
    private static final int PRESENT = 0x53455250; // "PRES"
    /** Written into {@code lock} by an evictor before it deletes the entry: a late opener must start over. */
    static final byte DEAD = 'D';

    private final Path directory;
    private final long size;
    private final long chunkSize;
    private final int chunkCount;
    private final FileChannel lockChannel;
    private final FileLock sharedLock;
    private final FileChannel chunks;
    private final FileChannel data;
    /** POSIX locks do not exclude threads of one process: these do, before the chunk's file lock is taken. */
    private final ReentrantLock[] chunkLocks = new ReentrantLock[256];

    private int references = 1;
    private Runnable onClose;

    private CacheEntry(
            Path directory,
            long size,
            long chunkSize,
            FileChannel lockChannel,
            FileLock sharedLock,
            FileChannel chunks,
            FileChannel data) {
        this.directory = directory;
        this.size = size;
        this.chunkSize = chunkSize;
        this.chunkCount = (int) ((size + chunkSize - 1) / chunkSize);
        this.lockChannel = lockChannel;
        this.sharedLock = sharedLock;
        this.chunks = chunks;
        this.data = data;
        for (int i = 0; i < chunkLocks.length; i++) chunkLocks[i] = new ReentrantLock();
    }

    /**
     * Opens the entry in {@code directory}, creating it if needed, and takes the shared lock. An existing entry
     * keeps its own chunk size (another process may have created it with another {@code --chunk-size}).
     */
    static CacheEntry open(Path directory, long size, long preferredChunkSize, String info) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Files.createDirectories(directory);
            FileChannel lockChannel = FileChannel.open(
                    directory.resolve(LOCK),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock shared = null;
            try {
                shared = lockChannel.lock(0, Long.MAX_VALUE, true);
                if (isDead(lockChannel)) {
                    // An evictor deleted this entry between our open and our lock: start again.
                    if (attempt > 10) throw new IOException("cache entry " + directory + " keeps being evicted");
                    shared.release();
                    lockChannel.close();
                    continue;
                }
                CacheEntry entry = initialize(directory, size, preferredChunkSize, info, lockChannel, shared);
                Files.setLastModifiedTime(directory.resolve(LOCK), FileTime.from(Instant.now()));
                return entry;
            } catch (IOException | RuntimeException e) {
                if (shared != null && shared.isValid()) shared.release();
                lockChannel.close();
                if (e instanceof NoSuchFileException && attempt < 10) continue; // evicted under our feet
                throw e;
            }
        }
    }

    private static boolean isDead(FileChannel lockChannel) throws IOException {
        ByteBuffer first = ByteBuffer.allocate(1);
        return lockChannel.read(first, 0) == 1 && first.get(0) == DEAD;
    }

    private static CacheEntry initialize(
            Path directory, long size, long preferredChunkSize, String info, FileChannel lockChannel, FileLock shared)
            throws IOException {
        FileChannel chunks = FileChannel.open(
                directory.resolve(CHUNKS),
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileChannel data = null;
        try {
            long chunkSize;
            // The header is written once, by whoever holds its lock first.
            try (FileLock headerLock = chunks.lock(0, HEADER_BYTES, false)) {
                ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                chunks.read(h, 0);
                h.flip();
                Path dataPath = directory.resolve(DATA);
                boolean valid = h.remaining() == HEADER_BYTES
                        && h.getLong(0) == MAGIC
                        && h.getLong(16) == size
                        && h.getLong(8) > 0
                        && Files.isRegularFile(dataPath)
                        && Files.size(dataPath) == size;
                if (valid) {
                    chunkSize = h.getLong(8);
                    data = FileChannel.open(directory.resolve(DATA), StandardOpenOption.READ, StandardOpenOption.WRITE);
                } else {
                    chunkSize = preferredChunkSize;
                    chunks.truncate(0);
                    data = FileChannel.open(
                            directory.resolve(DATA),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
                    // setLength of an empty file makes a hole: no block is allocated until a chunk is written.
                    try (RandomAccessFile raf =
                            new RandomAccessFile(directory.resolve(DATA).toFile(), "rw")) {
                        raf.setLength(size);
                    }
                    Files.writeString(directory.resolve(INFO), info, StandardCharsets.UTF_8);
                    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    header.putLong(0, MAGIC).putLong(8, chunkSize).putLong(16, size);
                    long chunkCount = (size + chunkSize - 1) / chunkSize;
                    chunks.truncate(0);
                    writeFully(chunks, header, 0);
                    // Extend the map to its full length (zeros = absent) so slot reads never run past the end.
                    if (chunkCount > 0)
                        writeFully(chunks, ByteBuffer.allocate(1), HEADER_BYTES + chunkCount * SLOT_BYTES - 1);
                }
            }
            return new CacheEntry(directory, size, chunkSize, lockChannel, shared, chunks, data);
        } catch (IOException | RuntimeException e) {
            chunks.close();
            if (data != null) data.close();
            throw e;
        }
    }

    Path directory() {
        return directory;
    }

    Path dataPath() {
        return directory.resolve(DATA);
    }

    long chunkSize() {
        return chunkSize;
    }

    int chunkCount() {
        return chunkCount;
    }

    long chunkOffset(int chunk) {
        return chunk * chunkSize;
    }

    long chunkLength(int chunk) {
        return Math.min(chunkSize, size - chunkOffset(chunk));
    }

    /** True when the chunk's bytes are in {@code data} and match their recorded CRC (read and checked now). */
    boolean isPresent(int chunk) throws IOException {
        ByteBuffer slot = readSlot(chunk);
        if (slot.getInt(0) != PRESENT) return false;
        return crcOf(chunk) == slot.getInt(4);
    }

    private ByteBuffer readSlot(int chunk) throws IOException {
        ByteBuffer slot = ByteBuffer.allocate(SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long position = HEADER_BYTES + (long) chunk * SLOT_BYTES;
        while (slot.hasRemaining()) {
            if (chunks.read(slot, position + slot.position()) < 0) break;
        }
        return slot;
    }

    private int crcOf(int chunk) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(chunkLength(chunk), 256 * 1024));
        long position = chunkOffset(chunk);
        long end = position + chunkLength(chunk);
        while (position < end) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
            int n = data.read(buffer, position);
            if (n < 0) return ~0; // data file shorter than expected: cannot match
            buffer.flip();
            crc.update(buffer);
            position += n;
        }
        return (int) crc.getValue();
    }

    /** Fills a chunk from the store. */
    @FunctionalInterface
    interface Filler {
        /** Writes the chunk's bytes through {@code writer}; may call it again from the start on a retry. */
        void fill(ChunkWriter writer) throws StorageException;
    }

    /**
     * Makes the chunk present: returns false at once if it already is (perhaps fetched by another process while
     * we waited for its lock), else runs {@code filler} under the chunk's lock and records the chunk.
     */
    boolean fill(int chunk, Filler filler) throws IOException, StorageException {
        if (isPresent(chunk)) return false; // the common case for a warm cache: no lock needed
        long slotPosition = HEADER_BYTES + (long) chunk * SLOT_BYTES;
        ReentrantLock threads = chunkLocks[chunk % chunkLocks.length];
        threads.lock();
        try (FileLock ignored = chunks.lock(slotPosition, SLOT_BYTES, false)) {
            if (isPresent(chunk)) return false;
            ChunkWriter writer = new ChunkWriter(chunk);
            filler.fill(writer);
            if (writer.written != chunkLength(chunk)) {
                throw new IOException(
                        "chunk " + chunk + " got " + writer.written + " of " + chunkLength(chunk) + " bytes");
            }
            ByteBuffer slot = ByteBuffer.allocate(SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            slot.putInt(0, PRESENT).putInt(4, (int) writer.crc.getValue());
            writeFully(chunks, slot, slotPosition);
            return true;
        } finally {
            threads.unlock();
        }
    }

    /** Writes one chunk's bytes into {@code data}, from its start, computing their CRC on the way. */
    final class ChunkWriter {
        private final int chunk;
        private final CRC32C crc = new CRC32C();
        private long written;

        private ChunkWriter(int chunk) {
            this.chunk = chunk;
        }

        /**
         * Copies exactly the chunk's length from {@code in}. Read failures are {@link IOException}s (the
         * transfer can be retried); write failures are {@link StorageException}s (the cache is broken).
         */
        void copyFrom(InputStream in, String location) throws IOException, StorageException {
            crc.reset();
            written = 0;
            long length = chunkLength(chunk);
            byte[] buffer = new byte[(int) Math.min(length, 64 * 1024)];
            while (written < length) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - written));
                if (n < 0) throw new IOException("the response ended after " + written + " of " + length + " bytes");
                try {
                    writeFully(data, ByteBuffer.wrap(buffer, 0, n), chunkOffset(chunk) + written);
                } catch (IOException e) {
                    throw new StorageException(
                            StorageException.Reason.CACHE,
                            location,
                            "cannot store a chunk in the cache " + directory.getParent() + ": " + e.getMessage()
                                    + " (free disk space, or use --cache-dir elsewhere or a smaller --cache-size)",
                            e);
                }
                crc.update(buffer, 0, n);
                written += n;
            }
        }
    }

    /** Counts the bytes recorded as present (without checking CRCs): what this entry holds on disk. */
    static long storedBytes(Path directory) throws IOException {
        try (FileChannel chunks = FileChannel.open(directory.resolve(CHUNKS), StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            chunks.read(header, 0);
            if (header.position() < HEADER_BYTES || header.getLong(0) != MAGIC) return 0;
            long chunkSize = header.getLong(8);
            long size = header.getLong(16);
            long count = (size + chunkSize - 1) / chunkSize;
            long stored = 0;
            ByteBuffer slots = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
            long position = HEADER_BYTES;
            long end = HEADER_BYTES + count * SLOT_BYTES;
            while (position < end) {
                slots.clear().limit((int) Math.min(slots.capacity(), end - position));
                int n = chunks.read(slots, position);
                if (n <= 0) break;
                for (int i = 0; i + SLOT_BYTES <= n; i += SLOT_BYTES) {
                    if (slots.getInt(i) == PRESENT) {
                        long chunk = (position - HEADER_BYTES + i) / SLOT_BYTES;
                        stored += Math.min(chunkSize, size - chunk * chunkSize);
                    }
                }
                position += n - n % SLOT_BYTES;
            }
            return stored;
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long p = position;
        while (buffer.hasRemaining()) {
            p += channel.write(buffer, p);
        }
    }

    /** Called with the cache's registry lock held. */
    void retain() {
        references++;
    }

    /** Called with the cache's registry lock held; returns true when this was the last reference. */
    boolean releaseReference() {
        return --references == 0;
    }

    void onClose(Runnable action) {
        this.onClose = action;
    }

    Runnable onCloseAction() {
        return onClose;
    }

    /** Closes the files and gives up the shared lock; the entry may then be evicted. */
    void closeFiles() {
        try {
            Files.setLastModifiedTime(directory.resolve(LOCK), FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // Only the LRU order suffers.
        }
        closeQuietly(data);
        closeQuietly(chunks);
        try {
            if (sharedLock.isValid()) sharedLock.release();
        } catch (IOException ignored) {
            // Closing the channel releases it too.
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to do with it.
        }
    }
}
