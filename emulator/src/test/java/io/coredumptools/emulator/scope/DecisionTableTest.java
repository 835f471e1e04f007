package io.coredumptools.emulator.scope;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.scope.ScopeDecision.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The call model's rule, row by row (issue 8): mode and facts in, kind and reason out. */
class DecisionTableTest {
    private static final Optional<String> FLOW =
            Optional.of("rdi=0x5555555592a0 points into memory an earlier call" + " wrote");

    private static CallFacts call(boolean earlierCalls, Optional<String> dataFlow) {
        return new CallFacts(false, Optional.empty(), earlierCalls, dataFlow, false);
    }

    private static ScopeDecision auto(CallFacts facts) {
        return DecisionTable.decide(RestoreMode.AUTO, facts);
    }

    @Test
    void aCallWhoseInputPointsIntoTheEarlierCallsMemoryContinuesThem() {
        ScopeDecision d = auto(call(true, FLOW));
        assertThat(d.kind()).isEqualTo(Kind.CONTINUES);
        assertThat(d.reason()).isEqualTo(FLOW.get());
        assertThat(d).hasToString("continues: " + FLOW.get());
    }

    @Test
    void anyOtherCallStartsFromTheBase() {
        ScopeDecision d = auto(call(true, Optional.empty()));
        assertThat(d.kind()).isEqualTo(Kind.FROM_BASE);
        assertThat(d.reason()).contains("no input points into memory");
    }

    @Test
    void theFirstCallStartsFromTheBaseWithNothingToUndo() {
        assertThat(auto(call(false, Optional.empty())).reason()).contains("no call ran since the last restore");
    }

    @Test
    void whenGdbAllocatesBeforeSettingTheArgumentsTheReasonSaysSo() {
        ScopeDecision d = auto(new CallFacts(false, Optional.empty(), true, Optional.empty(), true));
        assertThat(d.kind()).isEqualTo(Kind.FROM_BASE);
        assertThat(d.reason()).contains("allocates for the call before setting its arguments");
    }

    @Test
    void aResumeOutsideACallUndoesTheCalls() {
        assertThat(auto(new CallFacts(true, Optional.empty(), true, Optional.empty(), false)))
                .isEqualTo(ScopeDecision.fromBase("a resume outside a call"));
    }

    @Test
    void afterAFailedCallEveryModeStartsFromTheBase() {
        CallFacts afterFailure = new CallFacts(false, Optional.of("SIGSYS"), true, FLOW, false);
        for (RestoreMode mode : RestoreMode.values()) {
            ScopeDecision d = DecisionTable.decide(mode, afterFailure);
            assertThat(d.kind()).as(mode.label()).isEqualTo(Kind.FROM_BASE);
        }
        assertThat(auto(afterFailure).reason()).isEqualTo("the call before failed (SIGSYS)");
    }

    @Test
    void perCallAlwaysStartsFromTheBaseSessionAndManualNever() {
        assertThat(DecisionTable.decide(RestoreMode.PER_CALL, call(true, FLOW)))
                .isEqualTo(ScopeDecision.fromBase("restore-mode per-call"));
        assertThat(DecisionTable.decide(RestoreMode.SESSION, call(true, Optional.empty())))
                .isEqualTo(ScopeDecision.continues("restore-mode session"));
        assertThat(DecisionTable.decide(RestoreMode.MANUAL, call(true, Optional.empty())))
                .isEqualTo(ScopeDecision.continues("restore-mode manual"));
    }

    @Test
    void modesParseFromTheirLabels() {
        for (RestoreMode mode : RestoreMode.values()) {
            assertThat(RestoreMode.parse(mode.label())).isEqualTo(mode);
        }
        assertThat(RestoreMode.labels()).isEqualTo("auto, per-call, session, manual");
    }
}
