package io.coredumptools.rsp.inferior;

import io.coredumptools.emulator.Emulator;
import java.util.List;

/**
 * The one place that decides when a session's memory goes back to the crash image, and does it. It hears where
 * calls begin and end — gdb's siginfo brackets (as {@link CallBrackets} reads them), lldb's
 * QSaveRegisterState/QRestoreRegisterState pairs, writes and resumes — and applies the {@link RestoreMode}:
 * per-call restores lazily once the outermost call has ended (at the next call or resume, so a returned
 * {@code char*} stays readable); session and manual never restore on their own. Explicit restores (kill,
 * {@code monitor snapshot restore}) come here too. It owns the emulator's keep-state switch: the emulator never
 * restores by itself.
 */
public final class ImageRestorer {
    private final Emulator emulator;
    private final CallBrackets brackets = new CallBrackets();
    private RestoreMode mode = RestoreMode.PER_CALL;

    public ImageRestorer(Emulator emulator) {
        this.emulator = emulator;
        emulator.setKeepState(true);
    }

    // ---- what the client does ----------------------------------------------------------------------

    /** A full siginfo read (gdb saving it): a call may begin; the last one's effects go first. */
    public void siginfoRead() {
        restoreIf(brackets.onSiginfoRead());
    }

    /** A siginfo write from offset 0 (gdb restoring it): the innermost call ended. */
    public void siginfoWritten() {
        brackets.onSiginfoWrite();
    }

    /** Memory or registers written: activity inside the open call. */
    public void written() {
        brackets.onWrite();
    }

    /** A resume is about to run: restores first when the last call has ended. */
    public void beforeResume() {
        restoreIf(brackets.onResume());
    }

    /** lldb's QSaveRegisterState: a call starts ({@code openBefore}: saves still open before it). */
    public void stateSaved(int openBefore) {
        restoreIf(brackets.onStateSaved(openBefore));
    }

    /** lldb's QRestoreRegisterState: a call ended ({@code openAfter}: saves still open). */
    public void stateRestored(int openAfter) {
        brackets.onStateRestored(openAfter);
    }

    /** Whether an lldb call bracket is open. */
    public boolean inLldbCall() {
        return brackets.explicitDepth() > 0;
    }

    /** How many calls are in progress, as far as the brackets tell. */
    public int callDepth() {
        return brackets.depth();
    }

    private void restoreIf(boolean callEnded) {
        if (callEnded && mode == RestoreMode.PER_CALL) {
            restoreCrashImage();
        }
    }

    // ---- explicit restores ------------------------------------------------------------------------

    /** Memory back to the crash image now (registers are the client's to restore). */
    public void restoreCrashImage() {
        emulator.restoreCrashImage();
        brackets.restored();
    }

    /** Memory back to a named snapshot; IllegalArgumentException when there is none of that name. */
    public void restoreSnapshot(String name) {
        if (!emulator.snapshots().contains(name)) {
            throw new IllegalArgumentException("no snapshot '" + name + "' (monitor snapshot list)");
        }
        emulator.restoreSnapshot(name);
    }

    public void saveSnapshot(String name) {
        emulator.saveSnapshot(name);
    }

    public List<String> snapshots() {
        return emulator.snapshots();
    }

    public boolean deleteSnapshot(String name) {
        return emulator.deleteSnapshot(name);
    }

    /** The process was killed: the crash image, and no call in progress. */
    public void reset() {
        restoreCrashImage();
        brackets.reset();
    }

    public RestoreMode mode() {
        return mode;
    }

    public void setMode(RestoreMode mode) {
        this.mode = mode;
    }
}
