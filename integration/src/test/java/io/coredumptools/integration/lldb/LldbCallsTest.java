package io.coredumptools.integration.lldb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Acceptance, lldb's calls: {@code expr} through corestub answers what lldb answers on the live program stopped
 * at the same abort, except that the core is restored between calls (next_id gives the live first value every
 * time); a faulting call reports the fault and the next call works; calls run in the selected thread (its
 * TLS). With lldb's {@code _M} allocations, and with them refused (lldb then has the process call mmap).
 */
class LldbCallsTest {
    private static final String[] CALLS = {
        "expr next_id()",
        "expr next_id()",
        "expr (char*)greet(\"bob\")",
        "expr scale(1.5, 3)",
        "expr point_sum(gp)",
        "expr (int)strlen(\"hello\")",
        "expr point_sum(0)",
        "expr next_id()",
        "thread select 2",
        "expr get_tls()"
    };

    enum Mode {
        ALLOCATE_PACKETS,
        NO_ALLOCATE_PACKETS,
        REGISTER_INFO_PACKETS
    }

    private static LldbRun live;

    @BeforeAll
    static void runLive() {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        live = LldbRun.live(f.program(), f.directory(), CALLS);
        assertThat(live.output()).as(live.describe()).contains("stop reason = signal SIGABRT");
        assertThat(live.value("expr next_id()")).as(live.describe()).isEqualTo("43");
        assertThat(live.value("expr next_id() #2")).as(live.describe()).isEqualTo("44");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void callsAnswerWhatTheLiveProcessAnswers(Mode mode) {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        LldbRun remote;
        String serverLog;
        try (CorestubServer server = switch (mode) {
            case ALLOCATE_PACKETS -> CorestubServer.serve(f, "--debug-protocol");
            case NO_ALLOCATE_PACKETS -> CorestubServer.serve(f, "--debug-protocol", "--no-allocate-packets");
            case REGISTER_INFO_PACKETS -> CorestubServer.serve(f, "--debug-protocol", "--no-target-xml");
        }) {
            remote = LldbRun.remote(server.address(), f.directory(), CALLS);
            serverLog = server.output();
        }
        String both = "\n=== lldb on the live process:\n" + live.describe() + "\n=== lldb through corestub:\n"
                + remote.describe();

        assertThat(remote.value("expr next_id()")).as("next_id()" + both).isEqualTo(live.value("expr next_id()"));
        assertThat(remote.value("expr next_id() #2"))
                .as("next_id() again: the core is restored" + both)
                .isEqualTo(live.value("expr next_id()"));
        assertThat(string(remote.value("expr (char*)greet(\"bob\")")))
                .as("greet" + both)
                .isEqualTo(string(live.value("expr (char*)greet(\"bob\")")))
                .isEqualTo("\"hello, bob!\"");
        for (String call : new String[] {
            "expr scale(1.5, 3)", "expr point_sum(gp)", "expr (int)strlen(\"hello\")", "expr get_tls()"
        }) {
            assertThat(remote.value(call)).as(call + both).isEqualTo(live.value(call));
        }
        assertThat(live.value("expr get_tls()")).isEqualTo("2222");
        assertThat(remote.section("expr point_sum(0)"))
                .as("the fault" + both)
                .contains("Execution was interrupted, reason: signal SIGSEGV")
                .isEqualTo(live.section("expr point_sum(0)"));
        assertThat(remote.value("expr next_id() #3"))
                .as("a call after the fault" + both)
                .isEqualTo("43");

        // How lldb got its memory and ran the calls.
        assertThat(serverLog).contains("<- QSaveRegisterState;thread:", "<- QRestoreRegisterState:");
        if (mode == Mode.NO_ALLOCATE_PACKETS) {
            assertThat(serverLog)
                    .as("lldb tried _M, got the empty reply")
                    .contains("<- _M")
                    .doesNotContain("<- _m");
        } else {
            assertThat(serverLog).contains("<- _M1000,rwx");
        }
        if (mode == Mode.REGISTER_INFO_PACKETS) {
            assertThat(serverLog).contains("<- qRegisterInfo0").doesNotContain("<- qXfer:features");
        }
    }

    /** {@code 0x… "text"}: the text (the pointer differs). */
    private static String string(String value) {
        return value.substring(value.indexOf(' ') + 1);
    }
}
