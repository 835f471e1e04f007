package io.coredumptools.patches;

/** Code run through a {@link CodeRunner} did not return normally; the message says where and why. */
public class CodeRunException extends Exception {
    private static final long serialVersionUID = 1L;

    public CodeRunException(String message) {
        super(message);
    }

    public CodeRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
