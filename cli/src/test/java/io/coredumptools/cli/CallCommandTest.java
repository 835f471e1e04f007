package io.coredumptools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code corestub call} in process: arguments, exit codes and error lines; calls on the demo core. */
class CallCommandTest {

    @TempDir
    Path dir;

    private static String demoCore() {
        return Fixtures.get(Fixture.DEMO_PIE).core().toString();
    }

    @Test
    void helpShowsTheCallOptionsAndTheCoreOptions() {
        CliRun run = CliRun.of("call", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains(
                        "CORE",
                        "EXPR",
                        "--thread",
                        "--keep-state",
                        "--trace",
                        "--trace-file",
                        "--no-lock-bypass",
                        "--budget-ms",
                        "--exe",
                        "--sysroot",
                        "--debug-dir",
                        "--map",
                        "--no-system-debug");
        assertThat(CliRun.of("--help").out()).contains("call");
    }

    @Test
    void withoutAnExpressionIsAUsageError() throws IOException {
        Path core = Files.writeString(dir.resolve("core"), "x");
        CliRun run = CliRun.of("call", core.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("corestub: ").contains("EXPR");
    }

    @Test
    void badExpressionIsOneLineAndACaretBeforeTheCoreIsOpened() {
        CliRun run = CliRun.of("call", dir.resolve("no-core").toString(), "next_id()", "sum8(1, 2");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly(
                        "corestub: bad expression 'sum8(1, 2' at column 10: expected ',' or ')': the argument list of sum8 "
                                + "is not closed",
                        "  sum8(1, 2",
                        "           ^");
        assertThat(run.out()).isEmpty();
    }

    /** Without a variable's type, its bytes read as an integer would become a wrong double: refused, not guessed. */
    @Test
    void aGlobalIsNotPassedWhereAFloatingPointValueIsExpected() {
        String floats = Fixtures.get(Fixture.FLOATS).core().toString();
        for (String expression : new String[] {"mixed(1, factor, 3, 4.5)", "mixed(1, (double)factor, 3, 4.5)"}) {
            CliRun run = CliRun.of("call", floats, expression);
            assertThat(run.exitCode()).as(expression).isEqualTo(2);
            assertThat(run.errLines().get(0))
                    .startsWith("corestub: expression '" + expression + "': 'factor' would be passed as double, but "
                            + "corestub call reads a global's value as an integer");
            assertThat(run.out()).isEmpty();
        }
        CliRun integer = CliRun.of("call", floats, "truncated_sum(1.5, 2)", "mixed(1, 2.5, 3, 4.5)");
        assertThat(integer.exitCode()).as(integer.err()).isZero();
        assertThat(integer.out().lines()).containsExactly("3", "11");
    }

    /** The parameter types come from DWARF; without it the call must be cast, as gdb demands. */
    @Test
    void withoutDebugInfoTheReturnTypeMustBeCast() {
        String floats = Fixtures.get(Fixture.FLOATS_NO_DEBUG_INFO).core().toString();
        CliRun refused = CliRun.of("call", floats, "mixed(1, 2.5, 3, 4.5)");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.errLines().get(0))
                .contains("'mixed' has unknown return type; cast the call to its declared return type");
        CliRun cast = CliRun.of("call", floats, "(double)mixed(1, 2.5, 3, 4.5)", "(char)mixed(1, 2.5, 3, 4.5)");
        assertThat(cast.exitCode()).as(cast.err()).isZero();
        assertThat(cast.out().lines()).containsExactly("11", "2 '\\002'");
    }

    @Test
    void missingCoreIsUnusableInput() {
        Path core = dir.resolve("no-core");
        CliRun run = CliRun.of("call", core.toString(), "next_id()");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("corestub: " + core + ": no such file");
    }

    @Test
    void textFileIsNotACore() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        CliRun run = CliRun.of("call", text.toString(), "next_id()");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1).first().asString().startsWith("corestub: " + text + ": ");
    }

    @Test
    void badOptionValuesAreUsageErrors() throws IOException {
        Path core = Files.writeString(dir.resolve("core"), "x");
        assertThat(CliRun.of("call", "--thread", "0", core.toString(), "f()").errLines())
                .containsExactly("corestub: --thread 0: threads are numbered from 1, as in gdb");
        assertThat(CliRun.of("call", "--budget-ms", "0", core.toString(), "f()").exitCode())
                .isEqualTo(2);
        assertThat(CliRun.of("call", "--thread", "x", core.toString(), "f()").exitCode())
                .isEqualTo(2);
    }

    @Test
    void callsStartFromTheCrashImageUnlessKeepingState() {
        CliRun run = CliRun.of("call", demoCore(), "next_id()", "next_id()");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("43\n43\n");
        CliRun kept = CliRun.of("call", "--keep-state", demoCore(), "next_id()", "next_id()", "(int)next_id()");
        assertThat(kept.out()).isEqualTo("43\n44\n45\n");
    }

    @Test
    void argumentsOfEveryKind() {
        CliRun run = CliRun.of(
                "call",
                demoCore(),
                "(double)scale(1.5, 3)",
                "sum8(1, 2, 3, 4, 5, 6, 7, -0x8)",
                "point_sum(gp)",
                "list_sum(list_head)",
                "(void)next_id()",
                "(double)scale(-2.5e0, 'a')");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("4.5\n76\n7\n4999950000\n-242.5\n");
    }

    @Test
    void threadSelectsRegistersAndTls() {
        assertThat(CliRun.of("call", demoCore(), "get_tls()").out()).isEqualTo("1111\n");
        assertThat(CliRun.of("call", "--thread", "2", demoCore(), "get_tls()").out())
                .isEqualTo("2222\n");
        CliRun none = CliRun.of("call", "--thread", "3", demoCore(), "get_tls()");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.errLines())
                .singleElement()
                .asString()
                .startsWith("corestub: --thread 3: ")
                .contains("has 2 threads");
    }

    @Test
    void unknownNamesAreInputErrorsAndNothingRuns() {
        CliRun run = CliRun.of("call", demoCore(), "next_id()", "nxt_id()");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines())
                .first()
                .asString()
                .startsWith("corestub: expression 'nxt_id()': no function named " + "'nxt_id'");
        CliRun symbol = CliRun.of("call", demoCore(), "point_sum(nosuch)");
        assertThat(symbol.exitCode()).isEqualTo(2);
        assertThat(symbol.errLines())
                .containsExactly(
                        "corestub: expression 'point_sum(nosuch)': no symbol named 'nosuch' in " + demoCore()
                                + " or its libraries",
                        "  point_sum(nosuch)",
                        "            ^");
        assertThat(CliRun.of("call", demoCore(), "counter()").err())
                .contains("'counter' is a variable, not a function");
    }

    @Test
    void faultStopsAtTheFirstAndExitsOne() {
        CliRun run = CliRun.of("call", demoCore(), "next_id()", "point_sum(0)", "next_id()");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("43\n");
        assertThat(run.errLines())
                .first()
                .asString()
                .startsWith("corestub: point_sum(0): SIGSEGV (11): ")
                .contains("point_sum");
        assertThat(run.err()).contains("backtrace:", "disassembly:", "=> ", "registers:");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung call cannot be interrupted
    void runawayCallStopsAtTheBudget() {
        long started = System.nanoTime();
        CliRun run = CliRun.of("call", "--budget-ms", "200", demoCore(), "spin_forever()");
        assertThat(System.nanoTime() - started).isLessThan(30_000_000_000L);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("budget").contains("spin_forever").contains("--budget-ms");
    }

    @Test
    void traceGoesToStderrOrAFile() throws IOException {
        CliRun run = CliRun.of("call", "--trace", demoCore(), "point_sum(gp)");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("7\n");
        assertThat(run.errLines()).first().asString().startsWith("trace of point_sum(gp): ");
        assertThat(run.err()).contains("<point_sum").contains("ret");

        Path file = dir.resolve("trace.txt");
        CliRun toFile = CliRun.of(
                "call",
                "--trace-file",
                file.toString(),
                "--trace-limit",
                "2",
                demoCore(),
                "point_sum(gp)",
                "next_id()");
        assertThat(toFile.exitCode()).as(toFile.err()).isZero();
        assertThat(toFile.err()).isEmpty();
        String trace = Files.readString(file);
        assertThat(trace).contains("trace of point_sum(gp)", "trace of next_id()", "raise --trace-limit");
    }
}
