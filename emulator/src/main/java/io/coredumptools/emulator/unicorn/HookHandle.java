package io.coredumptools.emulator.unicorn;

/**
 * A registered hook. It holds the JNA callback object so that it stays strongly reachable for as long
 * as unicorn may call it: JNA frees the native trampoline of a collected callback, and unicorn would
 * then jump into freed memory.
 */
public final class HookHandle {
    private final long nativeHandle;
    private final Object callback;

    HookHandle(long nativeHandle, Object callback) {
        this.nativeHandle = nativeHandle;
        this.callback = callback;
    }

    long nativeHandle() {
        return nativeHandle;
    }

    Object callback() {
        return callback;
    }
}
