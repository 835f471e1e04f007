package io.coredumptools.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.Gdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code corestub call} end to end: the packaged CLI on a fresh demo core, against what gdb prints for the same
 * calls in the live demo stopped at its abort (the state the core records).
 */
class CallCommandTest {
    private static final Pattern GDB_VALUE = Pattern.compile("^\\$(\\d+) = (.*)$", Pattern.MULTILINE);
    private static final Pattern CHAR_POINTER = Pattern.compile("^0x[0-9a-f]+ (\".*)$");

    /** Run in this order in one live gdb session; next_id first, as later calls do not touch its counter. */
    private static final List<String> GDB_EXPRESSIONS = List.of(
            "next_id()",
            "sum8(1, -2, 3, 4, 5, 6, 70, 800)",
            "list_sum(list_head)",
            "point_sum(gp)",
            "scale(1.5, 3)",
            "greet(\"bob\")",
            "(long)strlen(\"hello\")",
            "(int)strcmp(\"a\", \"b\")",
            "(int)memcmp(\"abc\", \"abd\", 3)",
            "(char*)strchr(\"hello\", 'l')",
            "(char*)memcpy(\"xxxxx\", \"abc\", 3)",
            "(char*)memset(\"xxxxx\", 'y', 2)",
            "get_tls()");

    @TempDir
    Path dir;

    private static CoreFixture demo;
    private static List<String> live;

    @BeforeAll
    static void callInTheLiveProcess() {
        demo = Fixtures.get(Fixture.DEMO_PIE);
        String[] commands = GDB_EXPRESSIONS.stream().map(e -> "print " + e).toArray(String[]::new);
        String out = Gdb.onLiveProcessAtAbort(demo.program(), commands);
        live = new ArrayList<>();
        Matcher value = GDB_VALUE.matcher(out);
        while (value.find()) {
            live.add(value.group(2).strip());
        }
        assertThat(live).as(out).hasSameSizeAs(GDB_EXPRESSIONS);
    }

    /** What gdb printed for the expression in the live process. */
    private static String gdbLive(String expression) {
        int index = GDB_EXPRESSIONS.indexOf(expression);
        assertThat(index)
                .as(expression + " is not among the expressions run in gdb")
                .isNotNegative();
        return live.get(index);
    }

    private static CommandResult call(String... arguments) {
        List<String> command = new ArrayList<>(List.of("call"));
        command.addAll(List.of(arguments));
        return Corestub.run(command.toArray(String[]::new));
    }

    private static CommandResult callDemo(String... expressions) {
        List<String> command = new ArrayList<>(List.of(demo.core().toString()));
        command.addAll(List.of(expressions));
        return call(command.toArray(String[]::new));
    }

    private static List<String> okLines(CommandResult run) {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        return run.stdout().lines().toList();
    }

    /** The quoted string of a {@code (char*)} result, without the address (which differs from gdb's). */
    private static String stringPart(String charPointerResult) {
        Matcher m = CHAR_POINTER.matcher(charPointerResult);
        assertThat(m.matches()).as(charPointerResult).isTrue();
        return m.group(1);
    }

    // ---- the program's own functions -------------------------------------------------------------------

    @Test
    void everyCallStartsFromTheCrashImageAndAgreesWithGdb() {
        assertThat(okLines(callDemo("next_id()", "next_id()"))).containsExactly("43", "43");
        assertThat(gdbLive("next_id()")).isEqualTo("43");
    }

    @Test
    void keepStateChainsTheCalls() {
        assertThat(okLines(call("--keep-state", demo.core().toString(), "next_id()", "next_id()", "next_id()")))
                .containsExactly("43", "44", "45");
    }

    @Test
    void integerDoubleAndStackArgumentsAgreeWithGdb() {
        assertThat(okLines(callDemo(
                        "sum8(1, -2, 3, 4, 5, 6, 70, 800)",
                        "(double)scale(1.5, 3)",
                        "point_sum(gp)",
                        "list_sum(list_head)")))
                .containsExactly(
                        gdbLive("sum8(1, -2, 3, 4, 5, 6, 70, 800)"),
                        "4.5",
                        gdbLive("point_sum(gp)"),
                        gdbLive("list_sum(list_head)"));
        assertThat(gdbLive("scale(1.5, 3)")).isEqualTo("4.5");
        assertThat(gdbLive("list_sum(list_head)")).isEqualTo("4999950000");
    }

    @Test
    void threadSelectsTheThreadsTls() {
        assertThat(okLines(callDemo("get_tls()")))
                .containsExactly(gdbLive("get_tls()"))
                .containsExactly("1111");
        assertThat(okLines(call("--thread", "2", demo.core().toString(), "get_tls()")))
                .containsExactly("2222");
    }

    @ParameterizedTest
    @EnumSource(names = {"DEMO_NO_PIE", "DEMO_STATIC", "DEMO_GCORE"})
    void otherBuildsAndCoreWriters(Fixture fixture) {
        CoreFixture f = Fixtures.get(fixture);
        assertThat(okLines(call(f.core().toString(), "next_id()", "point_sum(gp)", "(double)scale(2.5, -2)")))
                .containsExactly("43", "7", "-5");
    }

    // ---- faults and errors ----------------------------------------------------------------------------

    @Test
    void nullDereferenceExitsOneWithASegfaultReport() {
        CommandResult run = callDemo("next_id()", "point_sum(0)", "next_id()");
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stdout()).isEqualTo("43\n");
        assertThat(run.stderr().lines().findFirst().orElse(""))
                .startsWith("corestub: point_sum(0): SIGSEGV (11): read of unmapped memory at 0x0")
                .contains("point_sum");
        assertThat(run.stderr()).contains("backtrace:", "#0 ", "disassembly:", "=> ", "registers:");
    }

    /**
     * The budget, not the test, ends an endless loop: a run the test's generous timeout had to kill would throw
     * (ExternalCommand), so exit code 1 and the budget fault are the call's own.
     */
    @Test
    void endlessLoopExitsOneWithABudgetFault() {
        CommandResult run =
                Corestub.run("call", "--budget-ms", "500", demo.core().toString(), "spin_forever()");
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stderr())
                .contains("corestub: spin_forever(): SIGINT (2): instruction or time budget exhausted")
                .contains("spin_forever")
                .contains("--budget-ms");
    }

    @Test
    void badExpressionExitsTwoWithOneClearLine() {
        CommandResult run = callDemo("next_id()", "greet(\"bob\"");
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        List<String> lines = run.stderr().lines().toList();
        assertThat(lines.get(0))
                .isEqualTo("corestub: bad expression 'greet(\"bob\"' at column 12: expected ',' or "
                        + "')': the argument list of greet is not closed");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).isEqualTo("  " + " ".repeat(11) + "^");
    }

    @Test
    void unknownFunctionExitsTwo() {
        CommandResult run = callDemo("no_such_function(1)");
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr())
                .startsWith("corestub: expression 'no_such_function(1)': no function named " + "'no_such_function'");
    }

    @Test
    void notACoreExitsTwo() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        for (Path input : List.of(text, demo.program())) {
            CommandResult run = call(input.toString(), "next_id()");
            assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
            assertThat(run.stderr().lines().toList()).as(run.describe()).hasSize(1);
            assertThat(run.stderr()).startsWith("corestub: " + input + ": ");
        }
    }

    @Test
    void traceShowsTheInstructionsOnStderr() {
        CommandResult run = call("--trace", "--trace-limit", "50", demo.core().toString(), "point_sum(gp)");
        assertThat(okLines(run)).containsExactly("7");
        assertThat(run.stderr())
                .startsWith("trace of point_sum(gp): ")
                .containsPattern("0x[0-9a-f]+ <point_sum \\(demo\\+0x[0-9a-f]+\\)>: mov eax, dword ptr \\[rdi\\]");
        assertThat(run.stderr().lines().count()).isLessThan(60);
    }

    // ---- through libc: these need the glibc load-time patches (AVX-512/AVX2 string routines, xsavec) -----

    @Test
    void greetReturnsTheHeapStringAsGdbDoes() {
        String result = okLines(callDemo("(char*)greet(\"bob\")")).get(0);
        assertThat(result).matches("0x[0-9a-f]+ \"hello, bob!\"");
        assertThat(stringPart(result)).isEqualTo(stringPart(gdbLive("greet(\"bob\")")));
    }

    @Test
    void libcStringFunctionsAgreeWithGdb() {
        List<String> lines = okLines(callDemo(
                "(long)strlen(\"hello\")",
                "(int)strcmp(\"a\", \"b\")",
                "(int)memcmp(\"abc\", \"abd\", 3)",
                "(char*)strchr(\"hello\", 'l')",
                "(char*)memcpy(\"xxxxx\", \"abc\", 3)",
                "(char*)memset(\"xxxxx\", 'y', 2)"));
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).isEqualTo("5").isEqualTo(gdbLive("(long)strlen(\"hello\")"));
        assertThat(Integer.signum(Integer.parseInt(lines.get(1))))
                .isEqualTo(-1)
                .isEqualTo(Integer.signum(Integer.parseInt(gdbLive("(int)strcmp(\"a\", \"b\")"))));
        assertThat(Integer.signum(Integer.parseInt(lines.get(2))))
                .isEqualTo(-1)
                .isEqualTo(Integer.signum(Integer.parseInt(gdbLive("(int)memcmp(\"abc\", \"abd\", 3)"))));
        assertThat(stringPart(lines.get(3)))
                .isEqualTo("\"llo\"")
                .isEqualTo(stringPart(gdbLive("(char*)strchr(\"hello\", 'l')")));
        assertThat(stringPart(lines.get(4)))
                .isEqualTo("\"abcxx\"")
                .isEqualTo(stringPart(gdbLive("(char*)memcpy(\"xxxxx\", \"abc\", 3)")));
        assertThat(stringPart(lines.get(5)))
                .isEqualTo("\"yyxxx\"")
                .isEqualTo(stringPart(gdbLive("(char*)memset(\"xxxxx\", 'y', 2)")));
    }

    @Test
    void stringArgumentsWithEscapesReachTheFunction() {
        assertThat(okLines(
                        callDemo("(long)strlen(\"a\\tb\\x41\\n\")", "(long)strlen(\"ab\\0cd\")", "(long)strlen(\"\")")))
                .containsExactly("5", "2", "0");
    }

    /**
     * strlen is an IFUNC whose implementations are assembly without DWARF: like gdb, corestub call does not guess
     * its return type but names the cast to add, in gdb's words.
     */
    @Test
    void aFunctionWithoutDebugInfoNeedsItsReturnTypeCastAsInGdb() {
        String refusal = "'strlen' has unknown return type; cast the call to its declared return type";
        CommandResult live = Gdb.defaults().runOnLiveProcessAtAbort(demo.program(), "print strlen(\"hello\")");
        assertThat(live.stdout() + live.stderr()).as(live.describe()).contains(refusal);
        CommandResult run = callDemo("strlen(\"hello\")");
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains(refusal);
    }

    @Test
    void outputOfTheCallComesBeforeItsResult() {
        assertThat(okLines(callDemo("say_hi()", "(void)say_hi()")))
                .containsExactly("hi from demo", "7", "hi from demo");
    }

    @Test
    void firstCallThroughAnUnboundPltSlot() {
        CoreFixture lazy = Fixtures.get(Fixture.DEMO_LAZY);
        String cbrt = Gdb.onLiveProcessAtAbort(lazy.program(), "print call_cbrt(27.0)");
        Matcher value = GDB_VALUE.matcher(cbrt);
        assertThat(value.find()).as(cbrt).isTrue();
        assertThat(okLines(call(lazy.core().toString(), "(double)call_cbrt(27.0)")))
                .containsExactly(value.group(2).strip());
    }
}
