package io.coredumptools.emulator.unicorn;

/**
 * A unicorn call failed. The message names the operation, the guest address when there is one, and
 * unicorn's own text for the error code ({@code uc_strerror}).
 */
public final class UnicornException extends RuntimeException {
    private final int errorCode;

    public UnicornException(String operation, int errorCode) {
        super(operation + " failed: " + UnicornErrors.describe(errorCode));
        this.errorCode = errorCode;
    }

    public UnicornException(String operation, long address, int errorCode) {
        this(operation + " at 0x" + Long.toHexString(address), errorCode);
    }

    public UnicornException(String message, Throwable cause) {
        super(message, cause);
        this.errorCode = UnicornErrors.OK;
    }

    /** The {@code uc_err} value; {@link UnicornErrors#OK} when the failure came from a Java hook. */
    public int errorCode() {
        return errorCode;
    }
}
