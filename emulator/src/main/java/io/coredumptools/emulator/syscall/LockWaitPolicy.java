package io.coredumptools.emulator.syscall;

import java.util.Optional;

/**
 * What to do when emulated code waits on a futex that no thread can ever wake: a core has no other running
 * thread, so the lock holder (another thread at crash time) never releases it.
 */
public interface LockWaitPolicy {
    /**
     * @param futexAddress the futex word the code waits on
     * @param expected     the value it expects there
     * @return the syscall's result to continue with (the policy took the lock out of the way), or empty to
     *         stop the call with a lock-wait fault described by {@link #describe}
     */
    Optional<Long> onHopelessWait(long futexAddress, int expected);

    /** A sentence naming the lock and, when known, its owner thread. */
    String describe(long futexAddress);
}
