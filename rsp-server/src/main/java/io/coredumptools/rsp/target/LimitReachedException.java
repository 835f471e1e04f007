package io.coredumptools.rsp.target;

/** A request would take more than a session may hold (breakpoints, saved states, ...): refused, with why. */
public final class LimitReachedException extends RuntimeException {
    public LimitReachedException(String message) {
        super(message);
    }
}
