package io.coredumptools.emulator.unicorn;

import com.sun.jna.Callback;

/**
 * A hook callback made once and registered for many addresses or ranges (see
 * {@link Unicorn#sharedCodeCallback}): it stays reachable as long as this object is.
 */
public final class SharedCallback {
    private final Callback callback;
    private final int types;

    SharedCallback(Callback callback, int types) {
        this.callback = callback;
        this.types = types;
    }

    Callback callback() {
        return callback;
    }

    int types() {
        return types;
    }
}
