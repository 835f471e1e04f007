package io.coredumptools.emulator.unicorn;

import com.sun.jna.Pointer;

/**
 * A saved CPU state ({@code uc_context}): every register, no memory (unicorn 2.0.1 contexts hold
 * registers only). Free it with {@link #close()}.
 */
public final class UnicornContext implements AutoCloseable {
    private Pointer context;

    UnicornContext(Pointer context) {
        this.context = context;
    }

    Pointer pointer() {
        if (context == null) {
            throw new IllegalStateException("the unicorn context was already freed");
        }
        return context;
    }

    @Override
    public void close() {
        if (context != null) {
            UnicornNative.uc_context_free(context);
            context = null;
        }
    }
}
