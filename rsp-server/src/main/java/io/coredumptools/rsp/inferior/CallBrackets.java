package io.coredumptools.rsp.inferior;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Finds where gdb's inferior calls begin and end, to restore the crash image between calls.
 *
 * <p>gdb reads {@code qXfer:siginfo} before each inferior call and writes it back after (also for the nested
 * {@code malloc} it calls to place a string literal, and when the call's frame is popped by {@code return}
 * or {@code unwindonsignal}). Each read opens a bracket, each write closes one; the image is restored lazily
 * once the outermost bracket has closed, at the next call start or resume, so that gdb can still read what the
 * call returned (a {@code char*}).
 *
 * <p>A plain {@code print $_siginfo} also reads, without a call or a write after it. Such a read is told apart
 * as follows: a bracket counts once it saw activity (a memory or register write, or a resume); when a new read
 * or a write arrives, brackets on top that saw none since they became the top are dropped. A call's bracket
 * always has activity before its nested call's read (gdb writes the dummy breakpoint's int3 first).
 */
public final class CallBrackets {
    private static final class Bracket {
        boolean resumed;
        boolean activity;
    }

    private final Deque<Bracket> open = new ArrayDeque<>();
    /** lldb's brackets: QSaveRegisterState opens one, QRestoreRegisterState closes it (exact, no guessing). */
    private int explicitOpen;

    private boolean restorePending;
    private boolean ranSinceRestore;

    /** A siginfo read. Returns true when memory should be restored now (a new outermost call starts). */
    public boolean onSiginfoRead() {
        boolean dropped = dropIdle();
        boolean restore = open.isEmpty() && (restorePending || (dropped && ranSinceRestore));
        open.push(new Bracket());
        return restore;
    }

    /** A siginfo write: closes the innermost call. */
    public void onSiginfoWrite() {
        while (!open.isEmpty() && !open.peek().resumed && !open.peek().activity) {
            open.pop();
        }
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
        if (open.isEmpty() && ranSinceRestore) {
            restorePending = true;
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
     * @return true when memory should be restored now (the last call ended)
     */
    public boolean onStateSaved(int savedBefore) {
        boolean restore = open.isEmpty() && savedBefore == 0 && restorePending;
        explicitOpen = savedBefore + 1;
        return restore;
    }

    /**
     * QRestoreRegisterState: the call ended; its memory effects stay readable until the next call or resume.
     *
     * @param savedAfter how many saved states remain open (the caller drops abandoned ones, so a save lldb never
     *                   restored cannot keep the brackets open for ever)
     */
    public void onStateRestored(int savedAfter) {
        explicitOpen = savedAfter;
        if (explicitOpen == 0 && open.isEmpty() && ranSinceRestore) {
            restorePending = true;
        }
    }

    /** How many QSaveRegisterState brackets are open. */
    public int explicitDepth() {
        return explicitOpen;
    }

    /** A resume is about to run. Returns true when memory should be restored first (the last call ended). */
    public boolean onResume() {
        boolean restore = open.isEmpty() && explicitOpen == 0 && restorePending;
        if (!open.isEmpty()) {
            open.peek().resumed = true;
            open.peek().activity = true;
        }
        ranSinceRestore = true;
        return restore;
    }

    /** Memory went back to the crash image. */
    public void restored() {
        restorePending = false;
        ranSinceRestore = false;
    }

    /** How many calls gdb has in progress (as far as the brackets tell). */
    public int depth() {
        return open.size() + explicitOpen;
    }

    public boolean restorePending() {
        return restorePending;
    }

    public void reset() {
        open.clear();
        explicitOpen = 0;
        restorePending = false;
        ranSinceRestore = false;
    }

    private boolean dropIdle() {
        boolean dropped = false;
        while (!open.isEmpty() && !open.peek().resumed && !open.peek().activity) {
            open.pop();
            dropped = true;
        }
        return dropped;
    }
}
