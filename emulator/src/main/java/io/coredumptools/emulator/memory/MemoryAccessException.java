package io.coredumptools.emulator.memory;

/** An access through the image's API hit memory the image cannot serve; the message says why. */
public final class MemoryAccessException extends RuntimeException {
    private final long address;

    public MemoryAccessException(long address, String message, Throwable cause) {
        super(message, cause);
        this.address = address;
    }

    /** The first address that could not be accessed. */
    public long address() {
        return address;
    }
}
