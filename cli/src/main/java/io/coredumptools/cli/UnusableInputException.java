package io.coredumptools.cli;

/** An argument names a file or directory that cannot be used; exit code 2. The message says which and why. */
public class UnusableInputException extends Exception {
    public UnusableInputException(String message) {
        super(message);
    }
}
