package io.coredumptools.rsp.target;

/** The process's memory. */
public interface MemoryTarget {
    /** Up to {@code length} bytes from {@code address}: the readable prefix, empty when none is readable. */
    byte[] read(long address, int length);

    /**
     * Writes {@code bytes} (an empty write probes: it fails as a write there would). Fails with
     * {@link io.coredumptools.emulator.memory.MemoryAccessException} where nothing is mapped.
     */
    void write(long address, byte[] bytes);
}
