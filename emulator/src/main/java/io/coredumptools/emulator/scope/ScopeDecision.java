package io.coredumptools.emulator.scope;

/**
 * What a call starts from, decided when it resumes, and why (for {@code -v} and tests).
 *
 * @param kind   continue the calls before it, or start from the base
 * @param reason in the user guide's terms, e.g. "rdi=0x5555555592a0 points into memory an earlier call wrote"
 */
public record ScopeDecision(Kind kind, String reason) {
    public enum Kind {
        /** The call runs on what the calls before it left. */
        CONTINUES,
        /** Memory goes back to the base first; the debugger's writes for this call stay. */
        FROM_BASE
    }

    public static ScopeDecision continues(String reason) {
        return new ScopeDecision(Kind.CONTINUES, reason);
    }

    public static ScopeDecision fromBase(String reason) {
        return new ScopeDecision(Kind.FROM_BASE, reason);
    }

    public boolean continuesEarlierCalls() {
        return kind == Kind.CONTINUES;
    }

    /** "continues: why" or "from base: why". */
    @Override
    public String toString() {
        return (kind == Kind.CONTINUES ? "continues: " : "from base: ") + reason;
    }
}
