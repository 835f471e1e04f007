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
 * debug info (parameter and result types from DWARF) and without (the cast says the return type and the arguments
 * go as written, or a function-pointer cast gives the prototype), including struct results and variadic calls.
 * Each value must be what gdb prints for the same expression on the live program stopped at its abort.
 */
class DifferentialCallCommandFloatsTest {
    private static final Pattern VALUE = Pattern.compile("^\\$N = (.*)$", Pattern.MULTILINE);

    private static final List<String> WITH_DEBUG_INFO = List.of(
            "mixed(1, 2.5, 3, 4.5)",
            "fmixed(1.5, 2, 0.25)",
            "ldmixed(1.5, 2, 0.25)",
            "nine_doubles(1, 2, 3, 4, 5, 6, 7, 8, 9.5)",
            "truncated_sum(7.9, 2.1)",
            // Conversions to the parameter types: char to int, float to double, double to int (toward zero).
            "mixed((char)1, 2.5f, 3.9, 4)",
            // Every digit gdb prints: 9 for a float, 17 for a double, 21 for a long double.
            "fmixed(1.1, 3, 0.1)",
            "nine_doubles(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)",
            "ldmixed(1.1, 2, 0.1)",
            "ld_third(1)",
            // A cast of a result whose type DWARF gives converts the value.
            "(long)truncated_sum(7.9, 2.1)",
            "(int)mixed(1, 2.5, 3, 4.5)",
            "(float)mixed(1.1, 0, 0, 0)",
            // Struct results: SSE + INTEGER (xmm0, rax), two floats in xmm0, MEMORY (buffer in rdi).
            "make_dpair(2.5, 3)",
            "make_fpair(1.5, 0.25)",
            "make_triple(4, 2.5)",
            // Struct globals passed by value: in registers by eightbyte, or copied to the stack.
            "dpair_sum(2, gpair)",
            "triple_sum(gtriple, 4000)",
            // A variadic callee's extra arguments take the default promotions.
            "sum_variadic(3, 1.5, 2.5f, (float)3)");

    private static final List<String> WITHOUT_DEBUG_INFO = List.of(
            "(double)mixed(1, 2.5, 3, 4.5)",
            "(float)fmixed(1.5, 2, 0.25)",
            "((float (*)(float, int, float))fmixed)(1.5, 2, 0.25)",
            "(long double)ldmixed(1.5, 2, 0.25)",
            "((long double (*)(long double, int, long double))ldmixed)(1.5, 2, 0.25)",
            "(double)nine_doubles(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.5)",
            "(int)truncated_sum(7.9, 2.1)",
            // gdb calls a cast function without debug info as if prototyped with the arguments' own types: a
            // float argument stays a float, and the int 4 is no double.
            "(float)fmixed((float)1.5, 2, (float)0.25)",
            "(double)mixed(1, 2.5, 3, 4)",
            "(double)sum_variadic(2, 1.5, 2.5f)",
            "(long double)ld_third((long double)1)",
            // An empty parameter list is no prototype: the default promotions apply.
            "((double (*)())mixed)((char)1, 2.5, 3, 4.5)",
            // rax holds what the call left there: 2, the count of vector registers that gdb passes in %al.
            "(int)mixed(1, 2.5, 3, 4.5)");

    /** What fails today, with the defect observed. */
    private static final KnownMismatches KNOWN = KnownMismatches.none();

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
