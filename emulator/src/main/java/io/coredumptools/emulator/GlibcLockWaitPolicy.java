package io.coredumptools.emulator;

import io.coredumptools.emulator.syscall.LockWaitPolicy;
import io.coredumptools.patches.LockPolicy;
import io.coredumptools.patches.ProcessMemory;
import java.util.HashMap;
import java.util.Map;

/** The emulator's futex emulation asking glibc-patches' {@link LockPolicy} what to do with a hopeless wait. */
final class GlibcLockWaitPolicy implements LockWaitPolicy {
    private final LockPolicy policy;
    private final ProcessMemory memory;
    /** pthread_mutex_t.__data.__owner on x86-64 glibc (after __lock and __count). */
    private static final int MUTEX_OWNER_OFFSET = 8;

    private final Map<Long, Integer> waitsPerAddress = new HashMap<>();

    GlibcLockWaitPolicy(LockPolicy policy, ProcessMemory memory) {
        this.policy = policy;
        this.memory = memory;
    }

    @Override
    public Decision onHopelessWait(long futexAddress, int command, int expected, int callerTid) {
        int attempt = waitsPerAddress.merge(futexAddress, 1, Integer::sum);
        LockPolicy.FutexDecision decision = policy.onUnwakeableWait(
                new LockPolicy.FutexWait(futexAddress, command, expected, callerTid, attempt), memory);
        if (decision.action() == LockPolicy.FutexDecision.Action.STOP) {
            return Decision.stop(decision.message());
        }
        boolean pthreadMutex = policy.owner(futexAddress, memory).isPresent();
        memory.write(futexAddress, littleEndian(decision.newValue()));
        if (pthreadMutex) {
            // pthread_mutex_lock asserts that a mutex it acquired has no owner recorded: clear __owner too.
            memory.write(futexAddress + MUTEX_OWNER_OFFSET, littleEndian(0));
        }
        return Decision.proceed(decision.returnValue(), decision.message());
    }

    private static byte[] littleEndian(int value) {
        return java.nio.ByteBuffer.allocate(4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(value)
                .array();
    }

    @Override
    public void onRunStart() {
        waitsPerAddress.clear();
    }
}
