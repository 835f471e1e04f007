package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Acceptance: a {@code __thread} variable printed by name through corestub (gdb asks qGetTLSAddr, as it never
 * uses libthread_db on a remote target) is what gdb prints on the core file, in each thread: demo.c's tls_value
 * is 1111 in the main thread and 2222 in the worker. PIE and non-PIE reach the executable's block through its
 * link_map; the static program asks with link_map 0.
 */
class GdbTlsTest {
    private static final String[] COMMANDS = {
        "thread 1", "print tls_value", "print &tls_value", "thread 2", "print tls_value", "print &tls_value"
    };

    @ParameterizedTest
    @EnumSource(
            value = Fixture.class,
            names = {"DEMO_PIE", "DEMO_NO_PIE", "DEMO_STATIC"})
    void tlsValueInBothThreadsIsWhatGdbPrintsOnTheCore(Fixture fixture) {
        CoreFixture f = Fixtures.get(fixture);
        GdbTranscript onCore = GdbTranscript.onCore(f, COMMANDS);
        assertThat(onCore.value(1)).as(onCore.describe()).isEqualTo("1111");
        assertThat(onCore.value(4)).as(onCore.describe()).isEqualTo("2222");

        GdbTranscript t;
        try (CorestubServer server = CorestubServer.serve(f)) {
            t = GdbProcess.connectedTo(server).program(f.program()).run(COMMANDS);
        }
        assertThat(t.text()).as(t.describe()).doesNotContain("TLS not supported", "doesn't support qGetTLSAddr");
        for (int i : new int[] {1, 2, 4, 5}) {
            assertThat(t.value(i))
                    .as("command " + COMMANDS[i] + " (gdb on the core: " + onCore.section(i) + ")\n" + t.describe())
                    .isEqualTo(onCore.value(i));
        }
    }
}
