package io.coredumptools.elfcore;

import java.nio.ByteBuffer;
import java.util.Optional;

/** Reads the crashed process's memory as the core recorded it (its PT_LOAD data only; no mapped files). */
public interface CoreMemory {
    /**
     * The {@code length} bytes at {@code address}, little-endian, or empty when any of them is not in the
     * core's data (unmapped, not dumped, or cut off by truncation).
     */
    Optional<ByteBuffer> read(long address, int length);

    default Optional<Long> readLong(long address) {
        return read(address, 8).map(ByteBuffer::getLong);
    }

    /** A NUL-terminated string (Latin-1 bytes) at {@code address}, at most {@code max} bytes; empty when not in the core. */
    default Optional<String> readCString(long address, int max) {
        StringBuilder s = new StringBuilder();
        long cursor = address;
        while (s.length() < max) {
            // Whole chunks are cheap; near the end of a segment fall back to single bytes.
            int chunkSize = read(cursor, 64).isPresent() ? 64 : 1;
            Optional<ByteBuffer> chunk = read(cursor, chunkSize);
            if (chunk.isEmpty()) {
                return s.length() == 0 ? Optional.empty() : Optional.of(s.toString());
            }
            ByteBuffer bytes = chunk.get();
            while (bytes.hasRemaining() && s.length() < max) {
                byte b = bytes.get();
                if (b == 0) {
                    return Optional.of(s.toString());
                }
                s.append((char) (b & 0xff));
            }
            cursor += chunkSize;
        }
        return Optional.of(s.toString());
    }
}
