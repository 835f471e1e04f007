package io.coredumptools.rsp.inferior;

import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.emulator.scope.CallScope;
import io.coredumptools.emulator.scope.RestoreMode;
import io.coredumptools.emulator.scope.ScopeDecision;
import java.util.List;
import java.util.Optional;

/**
 * The protocol's side of the {@link CallScope}: it turns what the client does — gdb's siginfo brackets (as
 * {@link CallBrackets} reads them), lldb's QSaveRegisterState/QRestoreRegisterState pairs, memory writes and resumes —
 * into the scope's events, with the depth of calls in progress. Explicit restores ({@code monitor snapshot restore},
 * kill) come here too. The policy is the scope's. The brackets are followed from the start; the scope is the
 * session's engine's, so what changes memory or runs builds the engine, and what happens before that (a plain
 * {@code $_siginfo} read, a restore of the crash image) needs none: memory is still the crash image.
 */
public final class ImageRestorer {
    private final SessionEngine engine;
    private final CallBrackets brackets = new CallBrackets();
    /** The depth the resume running now was decided at. */
    private int resumeDepth;

    ImageRestorer(SessionEngine engine) {
        this.engine = engine;
    }

    // ---- what the client does ----------------------------------------------------------------------

    /** A full siginfo read (gdb saving it): a call may begin. */
    public void siginfoRead() {
        brackets.onSiginfoRead();
    }

    /** A siginfo write from offset 0 (gdb restoring it): the innermost call ended. */
    public void siginfoWritten() {
        brackets.onSiginfoWrite();
        endedIfNoCall();
    }

    /** Registers written: activity inside the open call. */
    public void registersWritten() {
        brackets.onWrite();
    }

    /** A memory write by the client: part of the base outside calls, the call's own inside one. */
    public void memoryWritten(long address, byte[] bytes) {
        brackets.onWrite();
        scope().debuggerWrite(address, bytes, brackets.depth());
    }

    /** A resume of {@code thread} is about to run: the scope decides what a call starts from. */
    public Optional<ScopeDecision> beforeResume(int thread, RegisterFile registers) {
        resumeDepth = brackets.onResume();
        return scope().beforeResume(thread, registers, resumeDepth);
    }

    /** The resume stopped; {@code failure}: a call stopped other than at its return, described. */
    public void afterResume(RegisterFile registers, Optional<String> failure) {
        scope().afterResume(registers, resumeDepth, failure);
    }

    /** lldb's QSaveRegisterState: a call starts ({@code openBefore}: saves still open before it). */
    public void stateSaved(int openBefore) {
        brackets.onStateSaved(openBefore);
    }

    /** lldb's QRestoreRegisterState: a call ended ({@code openAfter}: saves still open). */
    public void stateRestored(int openAfter) {
        brackets.onStateRestored(openAfter);
        endedIfNoCall();
    }

    /** Whether an lldb call bracket is open. */
    public boolean inLldbCall() {
        return brackets.explicitDepth() > 0;
    }

    /** How many calls are in progress, as far as the brackets tell. */
    public int callDepth() {
        return brackets.depth();
    }

    private void endedIfNoCall() {
        if (brackets.depth() == 0) {
            engine.ifBuilt().ifPresent(e -> e.scope().callsEnded());
        }
    }

    // ---- explicit restores ------------------------------------------------------------------------

    /** Memory back to the crash image now, ending the base (registers are the client's to restore). */
    public void restoreCrashImage() {
        engine.ifBuilt().ifPresent(e -> e.scope().restoreCrashImage());
    }

    /** Memory back to a named snapshot; IllegalArgumentException when there is none of that name. */
    public void restoreSnapshot(String name) {
        scope().restoreSnapshot(name);
    }

    public void saveSnapshot(String name) {
        engine.get().saveSnapshot(name);
    }

    public List<String> snapshots() {
        return engine.ifBuilt().map(e -> e.snapshots()).orElse(List.of());
    }

    public boolean deleteSnapshot(String name) {
        return engine.ifBuilt().map(e -> e.deleteSnapshot(name)).orElse(false);
    }

    /** The process was killed: the crash image, and no call in progress. */
    public void reset() {
        brackets.reset();
        engine.ifBuilt().ifPresent(e -> e.scope().reset());
    }

    public RestoreMode mode() {
        return engine.mode();
    }

    public void setMode(RestoreMode mode) {
        engine.setMode(mode);
    }

    /** How many calls continued the calls before them, and how many started from the base. */
    public String counts() {
        return engine.ifBuilt()
                .map(e ->
                        e.scope().continuedCount() + " continued, " + e.scope().fromBaseCount() + " from base")
                .orElse("0 continued, 0 from base");
    }

    /** The scope (its counts and last decision): the session's engine's, built now if there is none. */
    public CallScope scope() {
        return engine.get().scope();
    }
}
