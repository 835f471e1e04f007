package io.coredumptools.emulator.nativeio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads /proc/self/pagemap to find which pages of a private mapping hold private (written) copies.
 * Each page has a 64-bit entry: bit 63 present, bit 62 swapped, bit 61 file-page-or-shared-anon.
 * In a MAP_PRIVATE file mapping a page that is present (or swapped) without bit 61 is an anonymous
 * copy, i.e. it was written; an unwritten page is either absent or a page-cache page (bit 61 set).
 * In an anonymous mapping every present page counts (including the shared zero page after a read,
 * which costs a needless copy, nothing worse).
 */
public final class PageMap implements AutoCloseable {
    private static final long PRESENT = 1L << 63;
    private static final long SWAPPED = 1L << 62;
    private static final long FILE_OR_SHARED = 1L << 61;
    /** Entries read per pread: 64 KiB of pagemap covers 32 MiB of address space. */
    private static final int ENTRIES_PER_READ = 8192;

    private final FileChannel channel;
    private final ByteBuffer buffer =
            ByteBuffer.allocateDirect(ENTRIES_PER_READ * 8).order(ByteOrder.nativeOrder());

    public PageMap() {
        try {
            channel = FileChannel.open(Path.of("/proc/self/pagemap"), StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open /proc/self/pagemap to find written pages", e);
        }
    }

    /** Receives the host page offsets (from the range start) of written pages, ascending. */
    @FunctionalInterface
    public interface WrittenPageConsumer {
        void accept(long offsetInRange);
    }

    /** Reports every written page of the host range [address, address+length). */
    public void forEachWrittenPage(long hostAddress, long length, WrittenPageConsumer consumer) {
        long pages = length >>> PageSize.SHIFT;
        long firstPage = hostAddress >>> PageSize.SHIFT;
        long done = 0;
        try {
            while (done < pages) {
                int count = (int) Math.min(ENTRIES_PER_READ, pages - done);
                buffer.clear().limit(count * 8);
                long position = (firstPage + done) * 8;
                while (buffer.hasRemaining()) {
                    int read = channel.read(buffer, position + buffer.position());
                    if (read <= 0) {
                        throw new IOException("short read of /proc/self/pagemap at entry " + (position / 8));
                    }
                }
                buffer.flip();
                for (int i = 0; i < count; i++) {
                    long entry = buffer.getLong(i * 8);
                    if ((entry & (PRESENT | SWAPPED)) != 0 && (entry & FILE_OR_SHARED) == 0) {
                        consumer.accept((done + i) << PageSize.SHIFT);
                    }
                }
                done += count;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/pagemap", e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
