package io.coredumptools.elfcore.source;

import java.io.UncheckedIOException;

/**
 * A {@link SourceException} where no checked exception can pass (file resolution inside the core's constructor);
 * {@code CoreDump.open} turns it back into an error that names the core.
 */
public final class UncheckedSourceException extends UncheckedIOException {
    public UncheckedSourceException(SourceException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized SourceException getCause() {
        return (SourceException) super.getCause();
    }
}
