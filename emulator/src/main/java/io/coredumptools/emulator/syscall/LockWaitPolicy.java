package io.coredumptools.emulator.syscall;

import java.util.OptionalLong;

/**
 * What to do when emulated code waits on a futex that no thread can ever wake: a core has no other running
 * thread, so the lock holder (another thread at crash time) never releases it.
 */
public interface LockWaitPolicy {
    /**
     * @param futexAddress the futex word the code waits on
     * @param command      the futex operation without its flags (FUTEX_WAIT, FUTEX_LOCK_PI, ...)
     * @param expected     the value the code expects there
     * @param callerTid    the thread the call runs on
     */
    Decision onHopelessWait(long futexAddress, int command, int expected, int callerTid);

    /** A new call starts: forget per-call counts. */
    default void onRunStart() {}

    /**
     * @param result  the syscall result to continue with, when the policy took the lock out of the way
     * @param message what was done, or why the call must stop (naming the lock and its owner)
     */
    record Decision(OptionalLong result, String message) {
        public static Decision proceed(long result, String message) {
            return new Decision(OptionalLong.of(result), message);
        }

        public static Decision stop(String message) {
            return new Decision(OptionalLong.empty(), message);
        }
    }
}
