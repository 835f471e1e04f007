package io.coredumptools.integration.differential;

import static io.coredumptools.integration.differential.RowStep.accepted;
import static io.coredumptools.integration.differential.RowStep.sameAsLive;

import io.coredumptools.testkit.Fixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, acceptance: the table of the call model, one test per row, through gdb on corestub against the answers
 * of gdb on the live program stopped at the same point (demo.c's DEMO_PIE, and callmodel.c for a string maker and
 * a struct passed by value). Each row is a fresh connection (its own base) in the default restore mode unless it
 * sets one.
 */
class DifferentialCallModelTest {
    /**
     * The rows that fail today on main, with the defect observed: a fix makes its row pass and fail here as
     * "now passes", and the entry must then go.
     */
    static final Map<String, String> KNOWN_FAILURES = Map.of();

    private static final CorestubServers SERVERS = new CorestubServers();

    @AfterAll
    static void stopServers() {
        SERVERS.close();
    }

    private static void check(Fixture fixture, Map<String, String> live, String name, RowStep... steps) {
        new CallRow(name, DemoAnswers.SETTINGS, List.of(steps))
                .check(SERVERS.of(fixture), SERVERS.core(fixture), live, KNOWN_FAILURES);
    }

    /** Model 3: a call that does not continue another starts from the base: the crash value each time. */
    @Test
    void anIndependentCallAfterAnotherGivesTheCrashValue() {
        check(
                Fixture.DEMO_PIE,
                DemoAnswers.demo(),
                "independent call after another",
                sameAsLive("print next_id()", "next_id()"),
                sameAsLive("print next_id()", "next_id()"));
    }

    /** Model 2: gdb's nested malloc for the literal, then greet, then strlen of what greet returned. */
    @Test
    void aNestedLiteral() {
        check(
                Fixture.DEMO_PIE,
                DemoAnswers.demo(),
                "nested literal",
                sameAsLive("print (int)strlen(greet(\"bob\"))", "strlen(greet)"));
    }

    /** Model 2: rdi of strcmp points into memory make_str allocated. */
    @Test
    void dataFlowThroughAnArgumentRegister() {
        check(
                Fixture.CALL_MODEL,
                DemoAnswers.callModel(),
                "data flow through an argument register",
                sameAsLive("print (int)strcmp(make_str(3), \"abd\")", "strcmp(make_str)"));
    }

    /**
     * Model 2: make_holder returns a 32-byte struct in memory; gdb copies it onto the stack as holder_len's
     * argument, and its text points into memory make_holder allocated.
     */
    @Test
    void dataFlowThroughAStructArgumentGdbWroteOnTheStack() {
        check(
                Fixture.CALL_MODEL,
                DemoAnswers.callModel(),
                "data flow through a struct argument on the stack",
                sameAsLive("print holder_len(make_holder(5))", "holder_len(make_holder)"));
    }

    /** Model 1: the user's write outside a call is part of the base every call starts from. */
    @Test
    void theUsersSetVarBeforeACallIsSeenByTheCall() {
        check(
                Fixture.DEMO_PIE,
                DemoAnswers.demo(),
                "set var before a call",
                accepted("set var counter = 100"),
                sameAsLive("print next_id()", "next_id() after set var"));
    }

    /** Model 3: what the last call returned stays readable until the next independent call. */
    @Test
    void aReturnedStringStaysReadableUntilTheNextIndependentCall() {
        check(
                Fixture.DEMO_PIE,
                DemoAnswers.demo(),
                "returned char* stays readable",
                sameAsLive("print greet(\"bob\")", "greet"),
                sameAsLive("print *$@11", "greet's bytes"));
    }

    /** Model 5: per-call, today's strict behaviour: back to the crash image after each call. */
    @Test
    void perCallRestoresAfterEveryCall() {
        check(
                Fixture.DEMO_PIE,
                DemoAnswers.demo(),
                "per-call mode",
                accepted("monitor restore-mode per-call"),
                sameAsLive("print next_id()", "next_id()"),
                sameAsLive("print next_id()", "next_id()"));
    }

    /** Model 5: session: calls see each other, as in the live process. */
    @Test
    void sessionCallsSeeEachOther() {
        check(
                Fixture.DEMO_PIE,
                DemoAnswers.demo(),
                "session mode",
                accepted("monitor restore-mode session"),
                sameAsLive("print next_id()", "next_id()"),
                sameAsLive("print next_id()", "next_id() again"),
                sameAsLive("print (int)strlen(greet(\"bob\"))", "strlen(greet)"));
    }
}
