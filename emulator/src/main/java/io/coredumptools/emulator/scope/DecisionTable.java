package io.coredumptools.emulator.scope;

/** The call model's rule, as a function of the mode and the facts of one call (issue 8's table). */
public final class DecisionTable {
    private DecisionTable() {}

    public static ScopeDecision decide(RestoreMode mode, CallFacts facts) {
        if (mode == RestoreMode.PER_CALL) {
            return ScopeDecision.fromBase("restore-mode per-call");
        }
        if (facts.failedCall().isPresent()) {
            // Its half-done state (a lock taken, a module half imported) is not what the live process would have.
            return ScopeDecision.fromBase(
                    "the call before failed (" + facts.failedCall().get() + ")");
        }
        if (mode != RestoreMode.AUTO) {
            return ScopeDecision.continues("restore-mode " + mode.label());
        }
        if (!facts.earlierCalls()) {
            return ScopeDecision.fromBase("no call ran since the last restore");
        }
        if (facts.outsideCall()) {
            return ScopeDecision.fromBase("a resume outside a call");
        }
        if (facts.dataFlow().isPresent()) {
            return ScopeDecision.continues(facts.dataFlow().get());
        }
        return ScopeDecision.fromBase(
                facts.inputsUnknown()
                        ? "gdb allocates for the call before setting its arguments, and no earlier call returned"
                                + " anything that points into memory the earlier calls wrote or allocated"
                        : "no input points into memory the earlier calls wrote or allocated");
    }
}
