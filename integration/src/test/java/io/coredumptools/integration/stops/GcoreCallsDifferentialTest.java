package io.coredumptools.integration.stops;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.CoreMaker;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9, acceptance: cores written by gdb's {@code gcore} (which leaves out the unmodified file-backed segments)
 * run code: {@code print next_id()} and the fixture's other calls through corestub print what gdb prints on the
 * live program stopped at the same point. PIE, non-PIE, static and lazily bound programs; a program that never
 * allocated; a mapped data file; cores at SIGSTOP, SIGUSR1 and a real-time signal.
 */
class GcoreCallsDifferentialTest {
    private static final List<String> SETTINGS =
            List.of("set print address off", "set width 0", "set unwindonsignal on", "set confirm off");

    private static final List<String> DEMO_CALLS = List.of(
            "print next_id()",
            "print *gp",
            "print point_sum(gp)",
            "print greet(\"bob\")",
            "print scale(1.5, 3)",
            "print sum8(1, 2, 3, 4, 5, 6, 7, 8)",
            "print get_tls()",
            "print list_sum(list_head)",
            "print call_cbrt(27.0)");

    /**
     * Commands that mismatch today, "FIXTURE: COMMAND" to the defect observed. (Each list calls next_id() once: a
     * second independent call starts from the crash image by design of the call model, issue 8, where the live
     * process counts on.)
     */
    static final Map<String, String> KNOWN_FAILURES = Map.of();

    static Stream<Arguments> gcoreFixtures() {
        return Stream.of(
                Arguments.of(Fixture.DEMO_GCORE, DEMO_CALLS),
                Arguments.of(Fixture.DEMO_NO_PIE_GCORE, DEMO_CALLS),
                Arguments.of(Fixture.DEMO_STATIC_GCORE, DEMO_CALLS),
                Arguments.of(Fixture.DEMO_LAZY_GCORE, DEMO_CALLS),
                Arguments.of(
                        Fixture.FAULTS_GCORE,
                        List.of("print next_id()", "print add3(4)", "print data_byte(10)", "print data_byte(8191)")),
                Arguments.of(Fixture.NOHEAP_GCORE, List.of("print next_id()", "print copy_string(\"abc\")")),
                Arguments.of(
                        Fixture.CALL_MODEL_GCORE,
                        List.of("print make_str(3)", "print holder_len_at(&$)", "print make_holder(4)")),
                Arguments.of(
                        Fixture.FLOATS_GCORE,
                        List.of(
                                "print mixed(1, 2.5, 3, 4.25)",
                                "print fmixed(1.5, 2, 3.25)",
                                "print ldmixed(1.5, 2, 3.25)",
                                "print truncated_sum(1.75, 2.5)")),
                Arguments.of(
                        Fixture.STOPS_SIGSTOP, List.of("print next_id()", "print add3(4)", "print bump_watched(3)")),
                Arguments.of(
                        Fixture.STOPS_SIGUSR1, List.of("print next_id()", "print add3(4)", "print bump_watched(3)")),
                Arguments.of(
                        Fixture.STOPS_SIGRT, List.of("print next_id()", "print add3(4)", "print bump_watched(3)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gcoreFixtures")
    void callsOnAGcoreCorePrintWhatTheLiveProcessPrints(Fixture fixture, List<String> calls) {
        assertThat(fixture.coreMaker()).isEqualTo(CoreMaker.GDB_GCORE);
        CoreFixture core = Fixtures.get(fixture);
        GdbTranscript live = StopSessions.live(core, SETTINGS, calls);
        GdbTranscript remote;
        try (CorestubServer server = CorestubServer.serve(core)) {
            remote = StopSessions.remote(server, core, SETTINGS, calls);
        }
        assertThat(live.value(0))
                .as("the ground truth has a value" + live.describe())
                .isNotBlank();
        StopComparison comparison = new StopComparison(fixture.name(), KNOWN_FAILURES);
        for (int i = 0; i < calls.size(); i++) {
            String key = calls.subList(0, i).contains(calls.get(i)) ? calls.get(i) + " [" + i + "]" : calls.get(i);
            comparison.compare(key, live.section(i), remote.section(i));
        }
        comparison.verify();
    }
}
