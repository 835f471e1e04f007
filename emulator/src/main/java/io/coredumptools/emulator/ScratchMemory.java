package io.coredumptools.emulator;

import java.nio.charset.StandardCharsets;

/**
 * Memory reserved for a caller (argument strings, out-parameters, structs) outside every core mapping.
 * It survives the restores between calls and is released by {@link #close()}.
 */
public final class ScratchMemory implements AutoCloseable {
    private final Emulator emulator;
    private final long address;
    private final long size;
    private boolean closed;

    ScratchMemory(Emulator emulator, long address, long size) {
        this.emulator = emulator;
        this.address = address;
        this.size = size;
    }

    public long address() {
        return address;
    }

    public long size() {
        return size;
    }

    public void write(long offset, byte[] bytes) {
        if (offset < 0 || offset + bytes.length > size) {
            throw new IndexOutOfBoundsException("write of " + bytes.length + " bytes at offset " + offset
                    + " does not fit in scratch memory of " + size + " bytes");
        }
        emulator.write(address + offset, bytes);
    }

    /** Writes {@code text} as a NUL-terminated UTF-8 string at the start; returns the address. */
    public long writeCString(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, terminated, 0, bytes.length);
        write(0, terminated);
        return address;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            emulator.release(this);
        }
    }
}
