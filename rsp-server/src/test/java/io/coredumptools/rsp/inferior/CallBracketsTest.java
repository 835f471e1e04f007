package io.coredumptools.rsp.inferior;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The siginfo bracket sequences gdb 13 sends around its inferior calls (as gdbserver saw them: each call reads
 * qXfer:siginfo from offset 0 before it sets up, writes it back after; a faulting call too, and a nested call for a
 * string literal brackets inside its caller's).
 */
class CallBracketsTest {

    /** read, X int3, G..., resume, write: one call. */
    private static void plainCall(CallBrackets b) {
        b.onWrite();
        b.onWrite();
        assertThat(b.onResume()).isFalse();
        b.onSiginfoWrite();
    }

    @Test
    void oneCallRestoresAtTheNextCallStartNotBefore() {
        CallBrackets b = new CallBrackets();
        assertThat(b.onSiginfoRead()).isFalse();
        plainCall(b);
        assertThat(b.restorePending()).isTrue(); // lazily: gdb still reads the result
        assertThat(b.onSiginfoRead()).isTrue();
        b.restored();
        plainCall(b);
        assertThat(b.depth()).isZero();
    }

    @Test
    void nestedMallocForAStringLiteralIsPartOfTheOuterCall() {
        CallBrackets b = new CallBrackets();
        assertThat(b.onSiginfoRead()).isFalse(); // greet("bob")
        b.onWrite(); // X dummy int3
        assertThat(b.onSiginfoRead()).isFalse(); // malloc(4)
        b.onWrite();
        b.onResume();
        b.onSiginfoWrite(); // malloc done
        assertThat(b.restorePending()).isFalse();
        b.onWrite(); // X "bob"
        assertThat(b.onResume()).isFalse(); // greet runs on malloc's memory
        b.onSiginfoWrite();
        assertThat(b.restorePending()).isTrue();
    }

    @Test
    void aPlainSiginfoReadDoesNotBreakLaterRestores() {
        CallBrackets b = new CallBrackets();
        b.onSiginfoRead(); // print $_siginfo
        assertThat(b.onSiginfoRead()).isFalse(); // a call
        plainCall(b);
        assertThat(b.depth()).isZero();
        assertThat(b.onSiginfoRead()).isTrue();
    }

    @Test
    void aSiginfoReadInAFaultedCallThenReturnClosesTheCall() {
        CallBrackets b = new CallBrackets();
        b.onSiginfoRead();
        b.onWrite();
        b.onResume(); // faults: gdb stays in the frame
        b.onSiginfoRead(); // p $_siginfo
        b.onWrite(); // return: G writes
        b.onSiginfoWrite();
        assertThat(b.depth()).isZero();
        assertThat(b.restorePending()).isTrue();
    }

    @Test
    void aResumeOutsideCallsRestoresOnlyAfterACall() {
        CallBrackets b = new CallBrackets();
        assertThat(b.onResume()).isFalse(); // stepi at top level
        assertThat(b.onResume()).isFalse();
        b.onSiginfoRead();
        plainCall(b);
        assertThat(b.onResume()).isTrue(); // continue after a call: back to the crash image first
    }

    /** lldb: QSaveRegisterState … resume … QRestoreRegisterState per call; restored at the next call or resume. */
    @Test
    void lldbsSaveAndRestoreBracketACall() {
        CallBrackets b = new CallBrackets();
        assertThat(b.onStateSaved(0)).isFalse();
        b.onWrite();
        assertThat(b.onResume()).isFalse();
        b.onStateRestored(0);
        assertThat(b.restorePending()).isTrue(); // the result is read after the restore of the registers
        assertThat(b.onStateSaved(0)).isTrue(); // the next call starts from the crash image
        b.restored();
        assertThat(b.onResume()).isFalse(); // inside a call: never
        b.onStateRestored(0);
        assertThat(b.depth()).isZero();
        assertThat(b.onResume()).isTrue(); // a plain continue after a call
        b.restored();
        assertThat(b.onStateSaved(0)).isFalse(); // nothing ran since
        b.onStateRestored(0);
        assertThat(b.restorePending()).isFalse();
    }

    /** A save lldb abandoned (never restored) is dropped when an older one is restored: restores go on. */
    @Test
    void anAbandonedSaveDoesNotKeepTheBracketOpen() {
        CallBrackets b = new CallBrackets();
        assertThat(b.onStateSaved(0)).isFalse(); // outer expression
        assertThat(b.onStateSaved(1)).isFalse(); // inner one, abandoned: no restore ever comes for it
        b.onResume();
        b.onStateRestored(0); // the outer restore; the target dropped the abandoned save
        assertThat(b.depth()).isZero();
        assertThat(b.restorePending()).isTrue();
        assertThat(b.onResume()).isTrue();
    }
}
