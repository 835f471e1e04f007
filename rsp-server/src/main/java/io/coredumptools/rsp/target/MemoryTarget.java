package io.coredumptools.rsp.target;

import java.nio.ByteBuffer;

/** The process's memory. */
public interface MemoryTarget {
    /** Up to {@code length} bytes from {@code address}: the readable prefix, empty when none is readable. */
    byte[] read(long address, int length);

    /**
     * As {@link #read(long, int)} for {@code into.remaining()} bytes, into {@code into} from its position (advanced
     * by as many): returns how many were read. A target whose bytes are in files reads them straight into a direct
     * buffer.
     */
    default int read(long address, ByteBuffer into) {
        byte[] bytes = read(address, into.remaining());
        into.put(bytes);
        return bytes.length;
    }

    /**
     * Writes {@code bytes} (an empty write probes: it fails as a write there would). Fails with
     * {@link io.coredumptools.emulator.memory.MemoryAccessException} where nothing is mapped.
     */
    void write(long address, byte[] bytes);
}
