package io.coredumptools.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The {@code STOPS_SIG*} fixtures' cores are taken at their own signal, as gdb on the core file says. */
class SignalFixturesTest {
    @ParameterizedTest
    @EnumSource(
            value = Fixture.class,
            names = {
                "STOPS",
                "STOPS_SIGBUS",
                "STOPS_SIGILL",
                "STOPS_SIGSYS",
                "STOPS_SIGSTOP",
                "STOPS_SIGUSR1",
                "STOPS_SIGRT"
            })
    void theCoreIsTakenAtTheFixturesSignal(Fixture fixture) {
        CoreFixture core = Fixtures.get(fixture);
        String gdb = core.gdb("p $_siginfo.si_signo");
        // gdb 13 names the real-time signal of a core "SIG38" where the live process shows SIG36 (Linux 36, as the
        // core's pr_cursig and siginfo say), so only the number is checked for it.
        String named =
                fixture == Fixture.STOPS_SIGRT ? "" : fixture.coreSignal().gdbName() + ",";
        assertThat(gdb)
                .as("gdb on " + core.core())
                .contains("Program terminated with signal " + named)
                .contains("$1 = " + fixture.coreSignal().linuxNumber() + "\n");
    }
}
