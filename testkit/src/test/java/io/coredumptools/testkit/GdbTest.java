package io.coredumptools.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** gdb as ground truth, and the demo fixture's contract as gdb sees it. */
@ExtendWith(CoreFixtureExtension.class)
class GdbTest {

    private static final Pattern THREAD_LINE = Pattern.compile("(?m)^[* ] +\\d+ +Thread ");
    private static final Pattern VALUE = Pattern.compile("(?m)^\\$\\d+ = (.*)$");

    @Test
    void demoCoreHasTwoThreadsWithTheirOwnTlsValues(@FixtureOf(Fixture.DEMO_PIE) CoreFixture demo) {
        String output = Gdb.onCore(
                demo.program(),
                demo.core(),
                "info threads",
                "p counter",
                "thread 1",
                "p tls_value",
                "thread 2",
                "p tls_value");

        assertThat(THREAD_LINE.matcher(output).results().count()).as(output).isEqualTo(2);
        assertThat(values(output)).containsExactly("42", "1111", "2222");
    }

    @Test
    void gcoreOfTheSameProgramShowsTheSameState(@FixtureOf(Fixture.DEMO_GCORE) CoreFixture demo) {
        String output = demo.gdb("info threads", "p counter", "thread 1", "p tls_value", "p *gp", "p globals_marker");

        assertThat(THREAD_LINE.matcher(output).results().count()).as(output).isEqualTo(2);
        assertThat(values(output)).containsExactly("42", "1111", "{x = 3, y = 4}", "1234605616436508552");
    }

    @Test
    void workerHoldsTheLockAtCrashTime(@FixtureOf(Fixture.DEMO_PIE) CoreFixture demo) {
        String output = demo.gdb("info threads", "p lock.__data.__owner");

        Matcher worker = Pattern.compile("(?m)^  +2 +Thread 0x[0-9a-f]+ \\(LWP (\\d+)\\)")
                .matcher(output);
        assertThat(worker.find()).as(output).isTrue();
        assertThat(values(output)).containsExactly(worker.group(1));
    }

    @Test
    void demoFunctionsBehaveAsSpecifiedInTheLiveProcess(@FixtureOf(Fixture.DEMO_PIE) CoreFixture demo) {
        String output = Gdb.onLiveProcessAtAbort(
                demo.program(),
                "p next_id()",
                "p point_sum(gp)",
                "p scale(2.5, 2)",
                "p sum8(1, 2, 3, 4, 5, 6, 7, 8)",
                "p get_tls()",
                "p say_hi()",
                "p list_sum(list_head)",
                "p call_cbrt(27.0)",
                "p *greet(\"gdb\")@11",
                "p/x globals_marker");

        // say_hi's puts only fills stdout's buffer (a pipe here) and the process is killed unflushed, so
        // only the program's own flushed line shows.
        assertThat(output).contains("hello, main! 42 7 5");
        List<String> values = values(output);
        assertThat(values).hasSize(10);
        assertThat(values.subList(0, 7)).containsExactly("43", "7", "5", "204", "1111", "7", "4999950000");
        // glibc's cbrt is not correctly rounded: cbrt(27.0) is 3.0000000000000004 with glibc 2.36.
        assertThat(Double.parseDouble(values.get(7))).isCloseTo(3.0, offset(1e-12));
        assertThat(values.subList(8, 10)).containsExactly("\"hello, gdb!\"", "0x1122334455667788");
    }

    @Test
    void preCommandsRunBeforeLoading(@FixtureOf(Fixture.DEMO_PIE) CoreFixture demo) {
        String output = Gdb.withPreCommands("set debug-file-directory /nonexistent-debug-dir")
                .onCore(demo.program(), demo.core(), "show debug-file-directory");

        assertThat(output).contains("\"/nonexistent-debug-dir\"");
    }

    @Test
    void failingLastCommandIsAnErrorWithGdbsMessage(@FixtureOf(Fixture.DEMO_PIE) CoreFixture demo) {
        assertThatThrownBy(() -> demo.gdb("p no_such_symbol"))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("gdb -batch")
                .hasMessageContaining("No symbol \"no_such_symbol\" in current context.");

        CommandResult result = Gdb.defaults().runOnCore(demo.program(), demo.core(), "p no_such_symbol");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("No symbol \"no_such_symbol\" in current context.");
    }

    @Test
    void timeoutKillsGdbAndItsInferior(@FixtureOf(Fixture.DEMO_PIE) CoreFixture demo) {
        assertThatThrownBy(() ->
                        Gdb.withTimeout(Duration.ofSeconds(3)).onLiveProcessAtAbort(demo.program(), "p spin_forever()"))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("Timed out after 3 s");

        // Both gdb and its inferior name the program on their command lines.
        List<String> leftovers = ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(process -> process.info().commandLine().orElse(""))
                .filter(commandLine -> commandLine.contains(demo.program().toString()))
                .toList();
        assertThat(leftovers).isEmpty();
    }

    @Test
    void missingProgramIsAClearError() {
        assertThatThrownBy(() -> ExternalCommand.run(
                        List.of("no-such-tool-xyz", "--version"), Path.of("."), Duration.ofSeconds(5)))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("Cannot start 'no-such-tool-xyz' (is it installed and on the PATH?)");
    }

    private static List<String> values(String gdbOutput) {
        return VALUE.matcher(gdbOutput).results().map(match -> match.group(1)).toList();
    }
}
