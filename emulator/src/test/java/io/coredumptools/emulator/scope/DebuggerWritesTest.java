package io.coredumptools.emulator.scope;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the debugger wrote since the last call: merged ranges, their words, and what a restore must put back. */
class DebuggerWritesTest {
    @Test
    void rangesMergeAndCoverExactlyTheBytesWritten() {
        DebuggerWrites w = new DebuggerWrites();
        w.written(0x1000, new byte[8], true);
        w.written(0x1010, new byte[8], true);
        w.written(0x1008, new byte[8], false); // joins both
        assertThat(w.covers(0x0fff)).isFalse();
        assertThat(w.covers(0x1000)).isTrue();
        assertThat(w.covers(0x1017)).isTrue();
        assertThat(w.covers(0x1018)).isFalse();
        assertThat(w.wordAddresses(100)).containsExactly(0x1000L, 0x1008L, 0x1010L);
        assertThat(w.wordAddresses(2)).hasSize(2);
    }

    @Test
    void onlyWholeAlignedWordsAreInputs() {
        DebuggerWrites w = new DebuggerWrites();
        w.written(0x2003, new byte[14], false); // 0x2003..0x2011: one whole word at 0x2008
        assertThat(w.wordAddresses(100)).containsExactly(0x2008L);
    }

    @Test
    void theBoundCountsWordsAcrossRanges() {
        DebuggerWrites w = new DebuggerWrites();
        w.written(0x5001, new byte[6], false); // 0x5001..0x5007: no whole word
        w.written(0x6000, new byte[16], false); // two words
        w.written(0x7004, new byte[20], false); // 0x7004..0x7018: 0x7008 and 0x7010
        assertThat(w.wordAddresses(100)).containsExactly(0x6000L, 0x6008L, 0x7008L, 0x7010L);
        assertThat(w.wordAddresses(3)).containsExactly(0x6000L, 0x6008L, 0x7008L);
        assertThat(w.wordAddresses(0)).isEmpty();
    }

    @Test
    void writesBeforeTheDecisionAreReplayedAndTheBoundIsKept() {
        DebuggerWrites w = new DebuggerWrites();
        w.written(0x3000, new byte[] {1}, true);
        w.written(0x3001, new byte[] {2}, false); // a base write: the restore keeps it by itself
        assertThat(w.toReplay()).hasSize(1);
        w.written(0x4000, new byte[(int) DebuggerWrites.MAX_BYTES], true);
        assertThat(w.overflowed()).isTrue();
        w.decided();
        assertThat(w.toReplay()).isEmpty();
        assertThat(w.overflowed()).isFalse();
        assertThat(w.covers(0x3000)).as("still the call's data until it ends").isTrue();
        w.clear();
        assertThat(w.covers(0x3000)).isFalse();
    }
}
