package io.coredumptools.emulator;

import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.emulator.syscall.LockWaitPolicy;
import java.util.Optional;

/** TEMPORARY: until glibc-patches' policy lands. */
final class OwnerReportingLockPolicy implements LockWaitPolicy {
    private final Emulator emulator;
    private final boolean bypass;

    OwnerReportingLockPolicy(Emulator emulator, boolean bypass) {
        this.emulator = emulator;
        this.bypass = bypass;
    }

    @Override
    public Optional<Long> onHopelessWait(long futexAddress, int expected) {
        if (!bypass) {
            return Optional.empty();
        }
        emulator.write(futexAddress, new byte[4]);
        return Optional.of(0L);
    }

    @Override
    public String describe(long futexAddress) {
        int owner = emulator.readStruct(futexAddress + 8, 4).getInt();
        for (ThreadState t : emulator.threads()) {
            if (t.tid() == owner) {
                return "the lock at 0x" + Long.toHexString(futexAddress) + " is held by thread " + owner;
            }
        }
        return "the lock at 0x" + Long.toHexString(futexAddress) + " has no known owner";
    }
}
