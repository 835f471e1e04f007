package io.coredumptools.elfcore;

import java.nio.file.Path;

/**
 * A core that can be read but not run: no thread, segments that are not whole pages, an impossible NT_FILE.
 * Unchecked, for code paths that cannot declare {@link CoreFormatException}; {@link #getCause()} is the typed
 * error, whose message names the file and the problem. Callers map it as they map CoreFormatException.
 */
public final class UnusableCoreException extends RuntimeException {
    private final transient CoreFormatException problem;

    public UnusableCoreException(CoreFormatException problem) {
        super(problem.getMessage(), problem);
        this.problem = problem;
    }

    /** The typed error: the file and what is wrong with it. */
    public CoreFormatException problem() {
        return problem;
    }

    public Path file() {
        return problem.file();
    }
}
