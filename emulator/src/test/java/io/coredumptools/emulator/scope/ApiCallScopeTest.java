package io.coredumptools.emulator.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.emulator.Argument;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.CallFailedException;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.emulator.scope.ScopeDecision.Kind;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Java API's calls ({@link Emulator#call}) go through the emulator's one {@link CallScope}: the same modes and
 * decision table as a debugger's calls. demo.c: next_id() answers 43 at the crash; callmodel.c: make_str(n) returns
 * a heap string of n letters.
 */
class ApiCallScopeTest {
    private static final CallBudget GENEROUS = new CallBudget(0, Duration.ofSeconds(30));

    private static Emulator open(Fixture fixture, boolean keepState) throws Exception {
        return Emulator.open(
                Fixtures.get(fixture).core(),
                EmulatorOptions.defaults().withBudget(GENEROUS).withKeepState(keepState));
    }

    @Test
    void byDefaultEveryCallStartsFromTheCrashImageAndTheScopeSaysSo() throws Exception {
        try (Emulator emu = open(Fixture.DEMO_PIE, false)) {
            assertThat(emu.scope().mode()).isEqualTo(RestoreMode.PER_CALL);
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
            assertThat(emu.scope().lastDecision()).contains(ScopeDecision.fromBase("restore-mode per-call"));
            assertThat(emu.scope().fromBaseCount()).isEqualTo(2);
            assertThat(emu.scope().continuedCount()).isZero();
        }
    }

    @Test
    void keepStateIsSessionModeAndAFailedCallStillLeavesNoDamage() throws Exception {
        try (Emulator emu = open(Fixture.DEMO_PIE, true)) {
            assertThat(emu.scope().mode()).isEqualTo(RestoreMode.SESSION);
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
            assertThat(emu.call("next_id").asInt()).isEqualTo(44);
            assertThat(emu.scope().lastDecision()).contains(ScopeDecision.continues("restore-mode session"));
            assertThatThrownBy(() -> emu.call("point_sum", Argument.of(0L))).isInstanceOf(CallFailedException.class);
            assertThat(emu.call("next_id").asInt())
                    .as("from the base after the failure")
                    .isEqualTo(43);
            assertThat(emu.scope().lastDecision().orElseThrow().reason()).startsWith("the call before failed (SIGSEGV");
            assertThat(emu.call("next_id").asInt()).isEqualTo(44);
        }
    }

    @Test
    void setKeepStateSwitchesTheScopesMode() throws Exception {
        try (Emulator emu = open(Fixture.DEMO_PIE, false)) {
            emu.setKeepState(true);
            assertThat(emu.scope().mode()).isEqualTo(RestoreMode.SESSION);
            emu.setKeepState(false);
            assertThat(emu.scope().mode()).isEqualTo(RestoreMode.PER_CALL);
        }
    }

    @Test
    void inAutoModeAnArgumentPointingIntoTheCallBeforesMemoryContinuesIt() throws Exception {
        try (Emulator emu = open(Fixture.CALL_MODEL, false)) {
            emu.scope().setMode(RestoreMode.AUTO);
            long text = emu.call("make_str", Argument.of(3)).rax();
            assertThat(emu.scope().lastDecision().orElseThrow().reason()).contains("no call ran");
            assertThat(emu.call("strlen", Argument.of(text)).rax()).isEqualTo(3);
            ScopeDecision decision = emu.scope().lastDecision().orElseThrow();
            assertThat(decision.kind()).isEqualTo(Kind.CONTINUES);
            assertThat(decision.reason())
                    .startsWith("argument word 1 0x" + Long.toHexString(text) + " points into memory an earlier call");
        }
    }

    @Test
    void inAutoModeAnIndependentCallStartsFromTheBase() throws Exception {
        try (Emulator emu = open(Fixture.DEMO_PIE, false)) {
            emu.scope().setMode(RestoreMode.AUTO);
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
            assertThat(emu.scope().lastDecision())
                    .contains(
                            ScopeDecision.fromBase("no input points into memory the earlier calls wrote or allocated"));
        }
    }

    @Test
    void perCallModeLosesTheCallBeforesMemoryEvenWhenPassedOn() throws Exception {
        try (Emulator emu = open(Fixture.CALL_MODEL, false)) {
            long text = emu.call("make_str", Argument.of(3)).rax();
            assertThat(emu.readCString(text, 8)).isEqualTo("abc");
            emu.call("strlen", Argument.of(text));
            assertThat(emu.scope().lastDecision().orElseThrow().kind()).isEqualTo(Kind.FROM_BASE);
            assertThat(emu.readCString(text, 8)).as("make_str's text is gone").isNotEqualTo("abc");
        }
    }
}
