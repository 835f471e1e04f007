package io.coredumptools.integration.differential;

import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 8, acceptance: {@code corestub call} with float, double and long double arguments, on floats.c built with
 * debug info (parameter types from DWARF) and without (gdb's rules for a function without a prototype: casts say
 * the return type, and float arguments are promoted to double unless a function-pointer cast gives the prototype).
 * Each value must be what gdb prints for the same expression on the live program stopped at its abort.
 */
class DifferentialCallCommandFloatsTest {
    private static final Pattern VALUE = Pattern.compile("^\\$N = (.*)$", Pattern.MULTILINE);

    private static final List<String> WITH_DEBUG_INFO = List.of(
            "mixed(1, 2.5, 3, 4.5)",
            "fmixed(1.5, 2, 0.25)",
            "ldmixed(1.5, 2, 0.25)",
            "nine_doubles(1, 2, 3, 4, 5, 6, 7, 8, 9.5)",
            "truncated_sum(7.9, 2.1)");

    private static final List<String> WITHOUT_DEBUG_INFO = List.of(
            "(double)mixed(1, 2.5, 3, 4.5)",
            "(float)fmixed(1.5, 2, 0.25)",
            "((float (*)(float, int, float))fmixed)(1.5, 2, 0.25)",
            "(long double)ldmixed(1.5, 2, 0.25)",
            "((long double (*)(long double, int, long double))ldmixed)(1.5, 2, 0.25)",
            "(double)nine_doubles(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.5)",
            "(int)truncated_sum(7.9, 2.1)");

    /** What fails today, with the defect observed. */
    private static final KnownMismatches KNOWN = KnownMismatches.none()
            .onEach(
                    "FLOATS",
                    "issue 8: corestub call takes no parameter or return types from DWARF: floating-point arguments"
                            + " and results are passed as integers (mixed(1, 2.5, 3, 4.5) prints 2, gdb 11; fmixed and"
                            + " ldmixed print 2, gdb 3.25; nine_doubles prints 1, gdb 45.5), silently",
                    "mixed(1, 2.5, 3, 4.5)",
                    "fmixed(1.5, 2, 0.25)",
                    "ldmixed(1.5, 2, 0.25)",
                    "nine_doubles(1, 2, 3, 4, 5, 6, 7, 8, 9.5)")
            .onEach(
                    "FLOATS_NO_DEBUG_INFO",
                    "issue 8: corestub call refuses the casts gdb takes for a function without debug info:"
                            + " \"unsupported cast '(float)'\" / \"'(long double)'\" (only char*, double, int, long,"
                            + " void)",
                    "(float)fmixed(1.5, 2, 0.25)",
                    "(long double)ldmixed(1.5, 2, 0.25)")
            .onEach(
                    "FLOATS_NO_DEBUG_INFO",
                    "issue 8: corestub call cannot parse a function-pointer cast, the way to give gdb a prototype:"
                            + " \"expected ')' to close the cast, found '('\"",
                    "((float (*)(float, int, float))fmixed)(1.5, 2, 0.25)",
                    "((long double (*)(long double, int, long double))ldmixed)(1.5, 2, 0.25)");

    @ParameterizedTest
    @EnumSource(names = {"FLOATS", "FLOATS_NO_DEBUG_INFO"})
    void floatingPointArgumentsArePassedAsGdbPassesThem(Fixture fixture) {
        CoreFixture floats = Fixtures.get(fixture);
        List<String> expressions = fixture == Fixture.FLOATS ? WITH_DEBUG_INFO : WITHOUT_DEBUG_INFO;
        GdbTranscript live = LiveGroundTruth.at(
                floats,
                new GdbScript(
                        "live",
                        List.of("set width 0"),
                        expressions.stream().map(e -> "print " + e).toList()));
        Map<String, String> remote = CorestubCall.outcomes(floats.core(), expressions);
        TranscriptNormaliser normaliser = new TranscriptNormaliser();
        DifferentialCheck check = new DifferentialCheck("corestub call floats", fixture.name(), KNOWN, List.of());
        for (int i = 0; i < expressions.size(); i++) {
            String printed = normaliser.normalise(live.section(i));
            Matcher value = VALUE.matcher(printed);
            check.compare(expressions.get(i), value.find() ? value.group(1) : printed, remote.get(expressions.get(i)));
        }
        check.verify();
    }
}
