package io.coredumptools.rsp.inferior;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one restore object: when memory goes back to the crash image, driven as gdb and lldb drive it (gdb's
 * siginfo brackets, lldb's register-state saves), per restore mode, and on explicit restores.
 */
class ImageRestorerTest {
    private static LoadedCore core;
    private EmulatedTarget target;
    private ImageRestorer restorer;
    private long address;
    private byte[] crash;

    @BeforeAll
    static void load() throws Exception {
        core = LoadedCore.open(Fixtures.get(Fixture.DEMO_PIE).core(), EmulatorOptions.defaults());
    }

    @AfterAll
    static void unload() {
        core.close();
    }

    @BeforeEach
    void open() {
        target = new EmulatedTarget(core, new CallBudget(0, Duration.ofSeconds(5)), true, 100);
        restorer = target.restorer();
        address = target.registers().of(0).general[7];
        crash = target.memory().read(address, 4);
    }

    @AfterEach
    void close() {
        target.close();
    }

    private void aGdbCallThatWrites() {
        restorer.siginfoRead(); // gdb saves $_siginfo: a call begins
        target.memory().write(address, new byte[] {9, 9, 9, 9});
        restorer.beforeResume();
        restorer.siginfoWritten(); // and restores it: the call ended
    }

    private byte[] now() {
        return target.memory().read(address, 4);
    }

    @Test
    void perCallRestoresLazilyAtTheNextCallOrResume() {
        aGdbCallThatWrites();
        assertThat(now()).as("what the call left stays readable").containsExactly(9, 9, 9, 9);
        restorer.beforeResume();
        assertThat(now()).as("restored before the next resume").containsExactly(crash);
        aGdbCallThatWrites();
        restorer.siginfoRead();
        assertThat(now()).as("restored when the next call begins").containsExactly(crash);
    }

    @Test
    void aPlainSiginfoReadIsNoCall() {
        target.memory().write(address, new byte[] {7, 7, 7, 7});
        restorer.siginfoRead(); // print $_siginfo, no call
        restorer.beforeResume();
        assertThat(now()).containsExactly(7, 7, 7, 7);
    }

    @Test
    void sessionAndManualModesNeverRestoreByThemselves() {
        for (RestoreMode mode : new RestoreMode[] {RestoreMode.SESSION, RestoreMode.MANUAL}) {
            restorer.setMode(mode);
            aGdbCallThatWrites();
            restorer.beforeResume();
            restorer.siginfoRead();
            assertThat(now()).as(mode.label()).containsExactly(9, 9, 9, 9);
            restorer.restoreCrashImage();
            assertThat(now()).containsExactly(crash);
        }
    }

    @Test
    void lldbsSavesAreCallBracketsToo() {
        int id = target.lldb().orElseThrow().saveRegisterState(0);
        target.memory().write(address, new byte[] {5, 5, 5, 5});
        restorer.beforeResume();
        assertThat(restorer.callDepth()).isEqualTo(1);
        target.lldb().orElseThrow().restoreRegisterState(id);
        assertThat(now()).containsExactly(5, 5, 5, 5);
        target.lldb().orElseThrow().saveRegisterState(0);
        assertThat(now()).as("restored when the next call's save comes").containsExactly(crash);
    }

    @Test
    void snapshotsAndKillGoThroughIt() {
        target.memory().write(address, new byte[] {1, 1, 1, 1});
        restorer.saveSnapshot("one");
        target.memory().write(address, new byte[] {2, 2, 2, 2});
        target.monitor().orElseThrow().restoreSnapshot(Optional.of("one"));
        assertThat(now()).containsExactly(1, 1, 1, 1);
        target.execution().kill();
        assertThat(now()).containsExactly(crash);
        assertThat(restorer.callDepth()).isZero();
    }
}
