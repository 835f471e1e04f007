package io.coredumptools.patches;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.patches.LockPolicy.FutexDecision;
import io.coredumptools.patches.LockPolicy.FutexWait;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo's worker holds {@code lock} at the crash: what a futex wait on it decides. */
class LockPolicyTest {
    static CoreFixture demo;
    static CoreDump core;
    static CoreImageMemory memory;
    static long lock;
    static int workerTid;
    static int mainTid;

    @BeforeAll
    static void open() {
        demo = Fixtures.get(Fixture.DEMO_PIE);
        core = Cores.withoutDebugFiles(demo);
        memory = new CoreImageMemory(core);
        lock = core.symbols().lookup("lock").orElseThrow().address(); // demo's own .symtab (built with -g)
        String out = demo.gdb("p &lock", "p lock.__data.__owner", "p lock.__data.__lock");
        assertThat(Cores.hexAfter(out, "$1 = ")).isEqualTo(lock);
        workerTid = (int) Cores.valueOf(out, 2);
        mainTid = core.threads().get(0).tid();
        assertThat(Cores.valueOf(out, 3)).as("the lock is held").isNotZero();
    }

    @AfterAll
    static void close() {
        memory.close();
        core.close();
    }

    @Test
    void ownerOfTheDemoLockIsTheWorkerThread() {
        LockPolicy policy = new LockPolicy(false, core.threads(), core.symbols());
        LockPolicy.LockOwner owner = policy.owner(lock, memory).orElseThrow();
        assertThat(owner.tid()).isEqualTo(workerTid).isNotEqualTo(mainTid);
        assertThat(owner.gdbThreadNumber()).isEqualTo(2);
        assertThat(demo.gdb("info threads"))
                .containsPattern("(?m)^\\s+2\\s+Thread 0x\\p{XDigit}+ \\(LWP " + workerTid + "\\)");
    }

    @Test
    void bypassStealsTheLockWord() {
        LockPolicy policy = new LockPolicy(true, core.threads(), core.symbols());
        int value = memory.readInt(lock).orElseThrow();
        FutexDecision d =
                policy.onUnwakeableWait(new FutexWait(lock, LockPolicy.FUTEX_WAIT, value, mainTid, 1), memory);
        assertThat(d.action()).isEqualTo(FutexDecision.Action.STEAL);
        assertThat(d.address()).isEqualTo(lock);
        assertThat(d.newValue()).isZero();
        assertThat(d.returnValue()).isZero();
        assertThat(d.message()).contains("LWP " + workerTid);
    }

    @Test
    void withoutBypassTheCallStopsNamingTheOwner() {
        LockPolicy policy = new LockPolicy(false, core.threads(), core.symbols());
        FutexDecision d = policy.onUnwakeableWait(new FutexWait(lock, LockPolicy.FUTEX_WAIT, 2, mainTid, 1), memory);
        assertThat(d.action()).isEqualTo(FutexDecision.Action.STOP);
        assertThat(d.message())
                .contains("0x" + Long.toHexString(lock))
                .contains("demo+0x")
                .contains("thread 2 (LWP " + workerTid + ")")
                .contains("lock bypass is off");
    }

    @Test
    void aWordWithoutOwnerSaysOwnerUnknown() {
        long counter = core.symbols().lookup("globals_marker").orElseThrow().address();
        LockPolicy policy = new LockPolicy(false, core.threads(), core.symbols());
        assertThat(policy.owner(counter, memory)).isEmpty();
        FutexDecision d =
                policy.onUnwakeableWait(new FutexWait(counter, LockPolicy.FUTEX_WAIT, 0x55667788, mainTid, 1), memory);
        assertThat(d.message()).contains("owner unknown");
    }

    @Test
    void aWaitThatComesBackAfterStealingStops() {
        LockPolicy policy = new LockPolicy(true, core.threads(), core.symbols());
        FutexDecision d = policy.onUnwakeableWait(
                new FutexWait(lock, LockPolicy.FUTEX_WAIT_BITSET, 0, mainTid, LockPolicy.MAX_STEALS_PER_ADDRESS + 1),
                memory);
        assertThat(d.action()).isEqualTo(FutexDecision.Action.STOP);
        assertThat(d.message()).contains("not a lock");
    }

    @Test
    void piLockIsHandedToTheCaller() {
        LockPolicy policy = new LockPolicy(true, core.threads(), core.symbols());
        FutexDecision d = policy.onUnwakeableWait(new FutexWait(lock, LockPolicy.FUTEX_LOCK_PI, 2, mainTid, 1), memory);
        assertThat(d.action()).isEqualTo(FutexDecision.Action.STEAL);
        assertThat(d.newValue()).isEqualTo(mainTid);
    }
}
