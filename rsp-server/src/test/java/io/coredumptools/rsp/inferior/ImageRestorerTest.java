package io.coredumptools.rsp.inferior;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.emulator.scope.RestoreMode;
import io.coredumptools.emulator.scope.ScopeDecision;
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
 * The protocol side of the call scope: gdb's siginfo brackets and lldb's register-state saves become the scope's
 * calls, memory writes go to the base outside calls and to the call inside one, and explicit restores go through it.
 * (The decisions themselves are the emulator's CallScopeTest; the whole model through gdb is DifferentialCallModelTest.)
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
        address = core.core().symbols().lookup("counter").orElseThrow().address();
        crash = target.memory().read(address, 4);
    }

    @AfterEach
    void close() {
        target.close();
    }

    /** A gdb call that writes {@code value} into counter's page (as the called code would) and returns at once. */
    private Optional<ScopeDecision> aGdbCallThatWrites(int value) {
        restorer.siginfoRead(); // gdb saves $_siginfo: a call begins
        target.memory().write(address, new byte[] {(byte) value, 0, 0, 0});
        Optional<ScopeDecision> decision =
                restorer.beforeResume(0, target.registers().of(0));
        restorer.afterResume(target.registers().of(0), Optional.empty());
        restorer.siginfoWritten(); // and restores it: the call ended
        return decision;
    }

    private int now() {
        return target.memory().read(address, 1)[0];
    }

    @Test
    void whatACallLeftStaysReadableUntilTheNextCallStartsFromTheBase() {
        aGdbCallThatWrites(9);
        assertThat(now()).as("what the call left stays readable").isEqualTo(9);
        Optional<ScopeDecision> next = aGdbCallThatWrites(5);
        assertThat(next.orElseThrow().kind()).isEqualTo(ScopeDecision.Kind.FROM_BASE);
        assertThat(now()).as("its own write survives its restore").isEqualTo(5);
        assertThat(restorer.scope().fromBaseCount()).isEqualTo(2);
    }

    @Test
    void aWriteOutsideACallIsPartOfTheBase() {
        target.memory().write(address, new byte[] {100, 0, 0, 0}); // set var counter = 100
        aGdbCallThatWrites(9);
        restorer.beforeResume(0, target.registers().of(0)); // stepi outside a call: the call's effects go
        assertThat(now()).isEqualTo(100);
    }

    @Test
    void aPlainSiginfoReadIsNoCall() {
        restorer.siginfoRead(); // print $_siginfo, no call
        assertThat(restorer.beforeResume(0, target.registers().of(0))
                        .orElseThrow()
                        .reason())
                .isEqualTo("no call ran since the last restore");
        assertThat(restorer.scope().fromBaseCount()).as("not counted as a call").isZero();
    }

    @Test
    void sessionAndManualModesNeverRestoreByThemselves() {
        for (RestoreMode mode : new RestoreMode[] {RestoreMode.SESSION, RestoreMode.MANUAL}) {
            restorer.setMode(mode);
            aGdbCallThatWrites(9);
            aGdbCallThatWrites(10);
            restorer.beforeResume(0, target.registers().of(0));
            assertThat(now()).as(mode.label()).isEqualTo(10);
            restorer.restoreCrashImage();
            assertThat(target.memory().read(address, 4)).containsExactly(crash);
        }
    }

    @Test
    void lldbsSavesAreCallsToo() {
        int id = target.lldb().orElseThrow().saveRegisterState(0);
        target.memory().write(address, new byte[] {5, 5, 5, 5});
        restorer.beforeResume(0, target.registers().of(0));
        restorer.afterResume(target.registers().of(0), Optional.empty());
        assertThat(restorer.callDepth()).isEqualTo(1);
        target.lldb().orElseThrow().restoreRegisterState(id);
        assertThat(now()).isEqualTo(5);
        target.lldb().orElseThrow().saveRegisterState(0);
        assertThat(now()).as("the next expression decides at its resume").isEqualTo(5);
        restorer.beforeResume(0, target.registers().of(0));
        assertThat(target.memory().read(address, 4)).as("from the base").containsExactly(crash);
    }

    @Test
    void snapshotsAndKillGoThroughIt() {
        target.memory().write(address, new byte[] {1, 1, 1, 1});
        restorer.saveSnapshot("one");
        target.memory().write(address, new byte[] {2, 2, 2, 2});
        target.monitor().orElseThrow().restoreSnapshot(Optional.of("one"));
        assertThat(target.memory().read(address, 4)).containsExactly(1, 1, 1, 1);
        target.execution().kill();
        assertThat(restorer.callDepth()).isZero();
        assertThat(target.memory().read(address, 4))
                .as("the crash image: the writes made outside calls went too")
                .containsExactly(crash);
    }
}
