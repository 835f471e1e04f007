package io.coredumptools.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cores taken at a stop point (CoreMaker.GDB_SIGNAL_AT_STOP, GDB_GCORE_AT_STOP) and the live helpers they use. */
class StopPointFixturesTest {

    @Test
    void bothCoresRecordTheProgramAtItsStopPoint() throws IOException {
        CoreFixture kernel = Fixtures.get(Fixture.CALLFUNCS);
        CoreFixture gcore = Fixtures.get(Fixture.CALLFUNCS_GCORE);
        assertThat(Files.mismatch(gcore.program(), kernel.program())).isEqualTo(-1L);
        for (CoreFixture fixture : List.of(kernel, gcore)) {
            assertThat(fixture.gdb("bt 1")).as(fixture.name()).contains("main () at callfuncs.c:649");
        }
        assertThat(kernel.gdb("p $_siginfo.si_signo")).contains("= 6");
    }

    /** The kernel's default filter, not the JVM's 0x3f: the program's unmodified .rodata is not in the cores. */
    @Test
    void coresLeaveOutUnmodifiedFileBackedPagesAsInTheField() {
        CoreFixture kernel = Fixtures.get(Fixture.CALLFUNCS);
        // .rodata is at 0x4000 of callfuncs, so at 0x555555558000 with ASLR off; one page, file size 0.
        assertThat(FixturesTest.readelf("-l", kernel.core()))
                .containsPattern("LOAD\\s+0x[0-9a-f]+ 0x0000555555558000 0x0+ 0x0+ 0x0*1000 R ");
        assertThat(FixturesTest.readelf(
                        "-l", Fixtures.get(Fixture.CALLFUNCS_GCORE).core()))
                .doesNotContain("0x0000555555558000");
    }

    @Test
    void withTerminalGivesTheProgramATerminalAndMergesGdbsOutput() {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_PIE);
        List<String> commands = List.of("run", "print (int)isatty(1)", "print no_such_symbol", "print 7");
        CommandResult onTerminal = Gdb.defaults().withTerminal().runOnLiveProcess(demo.program(), commands);
        assertThat(onTerminal.stdout())
                .contains("$1 = 1")
                .containsPattern("No symbol \"no_such_symbol\" in current context.\n\\$2 = 7")
                .doesNotContain("\r");
        CommandResult onPipes = Gdb.defaults().runOnLiveProcess(demo.program(), commands);
        assertThat(onPipes.stdout()).contains("$1 = 0");
    }
}
