package io.coredumptools.rsp.inferior;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Finds where the client's inferior calls begin and end, as a depth: how many calls are in progress. What a call
 * starts from is the {@link io.coredumptools.emulator.scope.CallScope}'s to decide; this class only detects.
 *
 * <p>gdb reads {@code qXfer:siginfo} before each inferior call and writes it back after (also for the nested
 * {@code malloc} it calls to place a string literal, and when the call's frame is popped by {@code return} or
 * {@code unwindonsignal}). Each read opens a bracket, each write closes one. lldb brackets each expression exactly
 * with QSaveRegisterState/QRestoreRegisterState.
 *
 * <p>A plain {@code print $_siginfo} also reads, without a call or a write after it. Such a read is told apart as
 * follows: a bracket counts once it saw activity (a memory or register write, or a resume); when a new read, a write
 * or a resume arrives, brackets on top that saw none since they became the top are dropped. A call's bracket always
 * has activity before its nested call's read and before its resume (gdb writes the dummy breakpoint's int3 first).
 */
public final class CallBrackets {
    private static final class Bracket {
        boolean resumed;
        boolean activity;
    }

    private final Deque<Bracket> open = new ArrayDeque<>();
    /** lldb's brackets: QSaveRegisterState opens one, QRestoreRegisterState closes it (exact, no guessing). */
    private int explicitOpen;

    /** A siginfo read: a call may begin. */
    public void onSiginfoRead() {
        dropIdle();
        open.push(new Bracket());
    }

    /** A siginfo write: closes the innermost call. */
    public void onSiginfoWrite() {
        dropIdle();
        // A bracket that never resumed but was written to (gdb's register restore after a plain read in a
        // stopped call) is not the call: the call is the nearest resumed one.
        while (!open.isEmpty() && !open.peek().resumed && hasResumedBelowTop()) {
            open.pop();
        }
        if (!open.isEmpty()) {
            open.pop();
            if (!open.isEmpty()) {
                open.peek().activity = false; // becomes the top again: it must show activity anew
            }
        }
    }

    private boolean hasResumedBelowTop() {
        boolean first = true;
        for (Bracket b : open) {
            if (first) {
                first = false;
                continue;
            }
            if (b.resumed) {
                return true;
            }
        }
        return false;
    }

    /** Memory or registers written. */
    public void onWrite() {
        if (!open.isEmpty()) {
            open.peek().activity = true;
        }
    }

    /**
     * QSaveRegisterState: a call starts.
     *
     * @param savedBefore how many saved states were open before this one
     */
    public void onStateSaved(int savedBefore) {
        explicitOpen = savedBefore + 1;
    }

    /**
     * QRestoreRegisterState: the call ended.
     *
     * @param savedAfter how many saved states remain open (the caller drops abandoned ones, so a save lldb never
     *                   restored cannot keep the brackets open for ever)
     */
    public void onStateRestored(int savedAfter) {
        explicitOpen = savedAfter;
    }

    /** How many QSaveRegisterState brackets are open. */
    public int explicitDepth() {
        return explicitOpen;
    }

    /** A resume is about to run; returns how many calls are in progress for it (0: a resume outside calls). */
    public int onResume() {
        dropIdle(); // a call's bracket is never idle at its resume: an idle one was a plain read
        if (!open.isEmpty()) {
            open.peek().resumed = true;
            open.peek().activity = true;
        }
        return depth();
    }

    /** How many calls are in progress (as far as the brackets tell). */
    public int depth() {
        return open.size() + explicitOpen;
    }

    public void reset() {
        open.clear();
        explicitOpen = 0;
    }

    private void dropIdle() {
        while (!open.isEmpty() && !open.peek().resumed && !open.peek().activity) {
            open.pop();
        }
    }
}
