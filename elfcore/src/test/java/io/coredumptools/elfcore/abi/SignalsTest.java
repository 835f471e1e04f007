package io.coredumptools.elfcore.abi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignalsTest {
    /** Pairs from binutils-gdb include/gdb/signals.def against Linux's asm/signal.h. */
    @ParameterizedTest
    @CsvSource({
        "1, 1", "2, 2", "5, 5", "6, 6", "7, 10", "8, 8", "10, 30", "11, 11", "12, 31", "17, 20", "18, 19", "19, 17",
        "20, 18", "23, 16", "29, 23", "30, 32", "31, 12", "32, 77", "33, 45", "34, 46", "63, 75", "64, 78"
    })
    void linuxSignalsTranslateToGdbNumbersAndBack(int linux, int gdb) {
        assertThat(Signals.toGdb(linux)).isEqualTo(gdb);
        assertThat(Signals.fromGdb(gdb)).isEqualTo(linux);
    }

    @Test
    void signalsGdbHasNoNameForAreUnknownAndDoNotComeBack() {
        assertThat(Signals.toGdb(Signals.SIGSTKFLT)).isEqualTo(Signals.GDB_SIGNAL_UNKNOWN);
        assertThat(Signals.toGdb(65)).isEqualTo(Signals.GDB_SIGNAL_UNKNOWN);
        assertThat(Signals.fromGdb(Signals.GDB_SIGNAL_UNKNOWN)).isEqualTo(-1);
        assertThat(Signals.fromGdb(7)).as("GDB_SIGNAL_EMT has no Linux signal").isEqualTo(-1);
    }

    @Test
    void namesFollowLinuxAndGlibcsRealTimeRange() {
        assertThat(Signals.name(Signals.SIGSYS)).isEqualTo("SIGSYS");
        assertThat(Signals.name(34)).isEqualTo("SIGRTMIN+0");
        assertThat(Signals.name(99)).isEqualTo("signal 99");
    }
}
