package io.coredumptools.emulator.nativeio;

/** A libc call failed; the message names the call, its arguments and errno's text. */
public final class NativeIoException extends RuntimeException {
    private final int errno;

    NativeIoException(String operation, int errno) {
        super(operation + " failed: " + LibC.strerror(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
