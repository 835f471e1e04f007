package io.coredumptools.integration.differential;

import static io.coredumptools.integration.differential.RowStep.accepted;
import static io.coredumptools.integration.differential.RowStep.nonZeroValue;
import static io.coredumptools.integration.differential.RowStep.sameAsLive;
import static io.coredumptools.integration.differential.RowStep.sameMemoryWordsAsLive;
import static io.coredumptools.integration.differential.RowStep.stopsWithASignal;

import io.coredumptools.testkit.Fixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 8, acceptance: a failed call leaves no damage in any restore mode; large allocations; printf and puts on a
 * core whose program never used stdout; malloc from a thread that never allocated. Through gdb on corestub, against
 * gdb on the live program stopped at the same point; one test per row, known failures listed with their defect.
 */
class DifferentialDamageAndResourcesTest {
    /** The rows that fail today on main, with the defect observed. */
    static final Map<String, String> KNOWN_FAILURES = Map.of();

    private static final CorestubServers SERVERS = new CorestubServers();

    @AfterAll
    static void stopServers() {
        SERVERS.close();
    }

    private static void check(Fixture fixture, Map<String, String> live, String name, List<RowStep> steps) {
        new CallRow(name, DemoAnswers.SETTINGS, steps)
                .check(SERVERS.of(fixture), SERVERS.core(fixture), live, KNOWN_FAILURES);
    }

    /**
     * A call that fails through corestub (SIGSYS: socket is not emulated; a fault; the budget), then two calls that
     * must give the live answers (the live process runs them without the failed call before).
     */
    @ParameterizedTest(name = "{1} in {0} mode")
    @CsvSource({
        "auto, SIGSYS",
        "auto, fault",
        "auto, budget",
        "per-call, SIGSYS",
        "per-call, fault",
        "per-call, budget",
        "session, SIGSYS",
        "session, fault",
        "session, budget",
        "manual, SIGSYS",
        "manual, fault",
        "manual, budget"
    })
    void aFailedCallLeavesNoDamage(String mode, String failure) {
        List<RowStep> steps = new ArrayList<>();
        steps.add(accepted("monitor restore-mode " + mode));
        switch (failure) {
            case "SIGSYS" -> steps.add(stopsWithASignal("print (int)socket(2, 1, 0)"));
            case "fault" -> steps.add(stopsWithASignal("print point_sum(0)"));
            default -> {
                steps.add(accepted("monitor budget 2000"));
                steps.add(stopsWithASignal("print spin_forever()"));
            }
        }
        steps.add(sameAsLive("print next_id()", "next_id()"));
        steps.add(sameAsLive("print greet(\"bob\")", "greet"));
        check(Fixture.DEMO_PIE, DemoAnswers.demo(), failure + " then calls, " + mode + " mode", steps);
    }

    @Test
    void aOneMegabyteMallocIsReadableAfterTheCall() {
        check(
                Fixture.DEMO_PIE,
                DemoAnswers.demo(),
                "1 MB malloc readable",
                List.of(
                        nonZeroValue("print/x (long)malloc(1000000)"),
                        sameMemoryWordsAsLive("x/2xg $", "its first words")));
    }

    @Test
    void aFourHundredMegabyteMemsetOfAFreshMallocWorks() {
        check(
                Fixture.DEMO_PIE,
                DemoAnswers.demo(),
                "400 MB memset(malloc())",
                List.of(
                        nonZeroValue("print (long)memset(malloc(400000000), 1, 400000000)"),
                        sameAsLive("print ((char*)$)[399999999]", "its last byte"),
                        sameAsLive("print next_id()", "next_id()")));
    }

    @Test
    void aOneTebibyteMallocReturnsNullAndTheNextCallWorks() {
        check(
                Fixture.DEMO_PIE,
                DemoAnswers.demo(),
                "1 TiB malloc",
                List.of(
                        sameAsLive("print (long)malloc(1099511627776)", "malloc 1 TiB"),
                        sameAsLive("print next_id()", "next_id()")));
    }

    /** The output must appear in gdb's console, as it does live on a terminal. */
    @Test
    void printfOnACoreWhoseProgramNeverWroteToStdout() {
        check(
                Fixture.QUIET_STDOUT,
                DemoAnswers.quiet(),
                "printf on a never-used stdout",
                List.of(sameAsLive("print (int)printf(\"x=%d\\n\", 5)", "printf")));
    }

    @Test
    void putsOnACoreWhoseProgramNeverWroteToStdout() {
        check(
                Fixture.QUIET_STDOUT,
                DemoAnswers.quiet(),
                "puts on a never-used stdout",
                List.of(sameAsLive("print (int)puts(\"hello\")", "puts")));
    }

    @Test
    void mallocFromAThreadThatNeverAllocated() {
        check(
                Fixture.FAULTS,
                DemoAnswers.faultsThreadTwo(),
                "malloc from thread 2",
                List.of(
                        accepted("set scheduler-locking on"),
                        accepted("thread 2"),
                        sameAsLive("print (int)((long)malloc(64) != 0)", "malloc from thread 2"),
                        sameAsLive("print (long)malloc_usable_size((void*)malloc(100))", "usable size")));
    }
}
