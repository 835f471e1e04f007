package io.coredumptools.rsp.inferior;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The siginfo bracket sequences gdb 13 sends around its inferior calls (as gdbserver saw them: each call reads
 * qXfer:siginfo from offset 0 before it sets up, writes it back after; a faulting call too, and a nested call for a
 * string literal brackets inside its caller's), and lldb's register-state saves, as a depth of calls in progress.
 */
class CallBracketsTest {

    /** read, X int3, G..., resume, write: one call. */
    private static void plainCall(CallBrackets b) {
        b.onSiginfoRead();
        b.onWrite();
        b.onWrite();
        assertThat(b.onResume()).isEqualTo(1);
        b.onSiginfoWrite();
    }

    @Test
    void oneCallIsOneBracket() {
        CallBrackets b = new CallBrackets();
        plainCall(b);
        assertThat(b.depth()).isZero();
    }

    @Test
    void nestedMallocForAStringLiteralRunsAtDepthTwo() {
        CallBrackets b = new CallBrackets();
        b.onSiginfoRead(); // greet("bob")
        b.onWrite(); // its int3
        b.onSiginfoRead(); // malloc(4)
        b.onWrite();
        assertThat(b.onResume()).isEqualTo(2);
        b.onSiginfoWrite();
        assertThat(b.depth()).isEqualTo(1);
        b.onWrite(); // "bob", the arguments
        assertThat(b.onResume()).as("greet runs on malloc's memory").isEqualTo(1);
        b.onSiginfoWrite();
        assertThat(b.depth()).isZero();
    }

    @Test
    void aPlainSiginfoReadIsNoCall() {
        CallBrackets b = new CallBrackets();
        b.onSiginfoRead(); // print $_siginfo
        assertThat(b.onResume()).as("stepi after it: outside calls").isZero();
        b.onSiginfoRead(); // print $_siginfo
        plainCall(b);
        assertThat(b.depth()).isZero();
    }

    @Test
    void aSiginfoReadInAFaultedCallThenReturnClosesTheCall() {
        CallBrackets b = new CallBrackets();
        b.onSiginfoRead();
        b.onWrite();
        b.onResume(); // faults; gdb stays in the frame
        b.onSiginfoRead(); // print $_siginfo in the faulted frame
        b.onWrite(); // return: registers
        b.onSiginfoWrite(); // and the saved siginfo
        assertThat(b.depth()).isZero();
    }

    @Test
    void lldbsSaveAndRestoreBracketACall() {
        CallBrackets b = new CallBrackets();
        b.onStateSaved(0);
        assertThat(b.onResume()).isEqualTo(1);
        b.onStateRestored(0);
        assertThat(b.depth()).isZero();
        assertThat(b.onResume()).as("a plain continue after it").isZero();
    }

    @Test
    void anAbandonedSaveDoesNotKeepTheBracketOpen() {
        CallBrackets b = new CallBrackets();
        b.onStateSaved(0); // outer expression
        b.onStateSaved(1); // inner one, abandoned: no restore ever comes for it
        assertThat(b.depth()).isEqualTo(2);
        b.onStateRestored(0); // the caller dropped the abandoned save
        assertThat(b.depth()).isZero();
    }
}
