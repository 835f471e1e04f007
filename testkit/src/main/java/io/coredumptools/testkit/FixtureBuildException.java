package io.coredumptools.testkit;

/** A fixture could not be built; the message names the fixture and where its partial build was left. */
public class FixtureBuildException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FixtureBuildException(String message, Throwable cause) {
        super(message, cause);
    }

    public FixtureBuildException(String message) {
        super(message);
    }
}
