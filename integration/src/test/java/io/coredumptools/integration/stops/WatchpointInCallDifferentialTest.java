package io.coredumptools.integration.stops;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, acceptance: a watchpoint on a global set inside a call (stopped at a breakpoint in stops.c's
 * bump_watched, which writes it three times) is hit, then {@code stepi} leaves the store and each {@code continue} reaches the next write, then the call ends;
 * what gdb prints through corestub equals what it prints on the live process stopped at the same abort.
 */
class WatchpointInCallDifferentialTest {
    private static final List<String> SETTINGS = List.of("set confirm off", "set pagination off", "set width 0");

    /** Commands that mismatch today, "SUITE: COMMAND" to the defect observed. */
    static final Map<String, String> KNOWN_FAILURES = Map.of();

    private static void check(String suite, List<String> commands, boolean hits) {
        CoreFixture core = Fixtures.get(Fixture.STOPS);
        GdbTranscript live = StopSessions.live(core, SETTINGS, commands);
        GdbTranscript remote;
        try (CorestubServer server = CorestubServer.serve(core)) {
            remote = StopSessions.remote(server, core, SETTINGS, commands);
        }
        // The ground truth itself: three hits with the values bump_watched writes, or none.
        if (hits) {
            assertThat(live.text())
                    .as(live.describe())
                    .contains("New value = 1")
                    .contains("New value = 3")
                    .contains("New value = 6");
        } else {
            assertThat(live.text()).as(live.describe()).doesNotContain("New value");
        }
        StopComparison comparison = new StopComparison(suite, KNOWN_FAILURES);
        List<String> keys = keys(commands);
        for (int i = 0; i < commands.size(); i++) {
            comparison.compare(keys.get(i), live.section(i), remote.section(i));
        }
        comparison.verify();
    }

    /** Commands with " [2]", " [3]"... on repeats. */
    private static List<String> keys(List<String> commands) {
        return java.util.stream.IntStream.range(0, commands.size())
                .mapToObj(i -> {
                    long earlier = commands.subList(0, i).stream()
                            .filter(commands.get(i)::equals)
                            .count();
                    return earlier == 0 ? commands.get(i) : commands.get(i) + " [" + (earlier + 1) + "]";
                })
                .toList();
    }

    /**
     * gdb does not report a watchpoint set before a {@code print} of a call while the call runs (the live process
     * returns 6 without stopping); through corestub neither.
     */
    @Test
    void aWatchpointSetBeforeTheCallDoesNotStopIt() {
        check(
                "watch before the call",
                List.of("watch watched", "print bump_watched(3)", "print watched", "print next_id()"),
                false);
    }

    @Test
    void aWatchpointSetInsideTheCallIsHitAndExecutionMovesOn() {
        check(
                "watch inside the call",
                List.of(
                        "break bump_watched",
                        "print bump_watched(3)",
                        "watch watched",
                        "continue",
                        "stepi",
                        "info registers rip",
                        "continue",
                        "continue",
                        "print watched",
                        "delete",
                        "continue",
                        "print next_id()"),
                true);
    }
}
