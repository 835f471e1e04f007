package io.coredumptools.testkit;

/**
 * An external command could not be started, timed out, or did not do what was needed. The message says
 * what was being attempted, the exact command line, and what the command printed.
 */
public class CommandFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CommandFailedException(String message) {
        super(message);
    }

    public CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Failure of a command that ran: {@code what} says what it was for, the result says how it went. */
    public CommandFailedException(String what, CommandResult result) {
        super(what + "\n" + result.describe());
    }
}
