package io.coredumptools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arguments, exit codes and error lines of {@code corestub}, without a real core. */
class CorestubCliTest {

    @TempDir
    Path dir;

    @Test
    void helpListsTheInfoCommandAndExitsZero() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: corestub").contains("info").contains("--verbose");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void infoHelpShowsTheCoreOptions() {
        CliRun run = CliRun.of("info", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("CORE", "--exe", "--sysroot", "--debug-dir", "--map", "--no-system-debug", "--json");
    }

    @Test
    void versionIsTheMavenProjectVersion() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("corestub " + VersionProvider.version());
        assertThat(VersionProvider.version())
                .isNotBlank()
                .doesNotContain("${")
                .isNotEqualTo("unknown")
                .matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun run = CliRun.of();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).first().asString().startsWith("corestub: ").contains("missing command");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliRun run = CliRun.of("frobnicate");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("corestub: ").contains("frobnicate");
    }

    @Test
    void infoWithoutACoreIsAUsageError() {
        CliRun run = CliRun.of("info");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("corestub: ").contains("CORE");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun run = CliRun.of("info", "--bogus", "x");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--bogus");
    }

    @Test
    void malformedMapIsAUsageError() {
        CliRun run =
                CliRun.of("info", "--map", "no-equals-sign", dir.resolve("core").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .first()
                .asString()
                .startsWith("corestub: ")
                .contains("OLD=NEW")
                .contains("no-equals-sign");
    }

    @Test
    void missingCoreIsUnusableInputWithOneLine() {
        Path core = dir.resolve("no-such-core");
        CliRun run = CliRun.of("info", core.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("corestub: " + core + ": no such file");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void directoryAsCoreIsUnusableInput() {
        CliRun run = CliRun.of("info", dir.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .hasSize(1)
                .first()
                .asString()
                .startsWith("corestub: " + dir + ": ")
                .contains("directory");
    }

    @Test
    void missingExeIsUnusableInput() throws IOException {
        Path core = Files.writeString(dir.resolve("core"), "x");
        CliRun run = CliRun.of("info", "--exe", dir.resolve("prog").toString(), core.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("corestub: --exe " + dir.resolve("prog") + ": no such file");
    }

    @Test
    void sysrootThatIsAFileIsUnusableInput() throws IOException {
        Path core = Files.writeString(dir.resolve("core"), "x");
        CliRun run = CliRun.of("info", "--sysroot", core.toString(), core.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("corestub: --sysroot " + core + ": not a directory");
    }

    @Test
    void missingDebugDirIsUnusableInput() throws IOException {
        Path core = Files.writeString(dir.resolve("core"), "x");
        Path debug = dir.resolve("debug");
        CliRun run = CliRun.of("info", "--debug-dir", debug.toString(), core.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("corestub: --debug-dir " + debug + ": no such directory");
    }

    // Acceptance checks on CoreDump.open's CoreFormatException: one line naming the file, exit 2.

    @Test
    void textFileIsNotACore() throws IOException {
        Path text =
                Files.writeString(dir.resolve("notes.txt"), "just some text\nover two lines\n", StandardCharsets.UTF_8);
        CliRun run = CliRun.of("info", text.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1).first().asString().startsWith("corestub: " + text + ": ");
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void emptyFileIsNotACore() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty-core"));
        CliRun run = CliRun.of("info", "--json", empty.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .hasSize(1)
                .first()
                .asString()
                .startsWith("corestub: " + empty + ": ")
                .containsIgnoringCase("empty");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void truncatedElfHeaderIsNotACore() throws IOException {
        Path core = Files.write(dir.resolve("core.short"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        CliRun run = CliRun.of("info", core.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1).first().asString().startsWith("corestub: " + core + ": ");
    }

    @Test
    void verboseShowsTheStackTraceOfAnInputError() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "text");
        CliRun run = CliRun.of("info", "-v", text.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).first().asString().startsWith("corestub: " + text + ": ");
        assertThat(run.err()).contains("CoreFormatException").contains("\tat ");
    }

    @Test
    void verbosityCountsEveryVerboseFlag() {
        CliRun.of("--help"); // logging configuration is global: only the counting is checked here
        var cmd = Corestub.commandLine();
        assertThat(Corestub.verbosity(cmd.parseArgs("-v", "info", "-vv", "core")))
                .isEqualTo(3);
        assertThat(Corestub.verbosity(Corestub.commandLine().parseArgs("info", "core")))
                .isZero();
        assertThat(Corestub.verbosity(Corestub.commandLine().parseArgs("info", "--verbose", "core")))
                .isEqualTo(1);
    }

    @Test
    void aCommandLineThatNamesItsCommandBuildsOnlyThatOne() {
        assertThat(Corestub.commandLine(new String[] {"serve", "--once", "core"})
                        .getSubcommands())
                .containsOnlyKeys("serve");
        assertThat(Corestub.commandLine(new String[] {"-v", "-vv", "info", "core"})
                        .getSubcommands())
                .containsOnlyKeys("info");
        // Anything else before the command (the top command's --help lists every command), no command, help,
        // or an unknown one: every command, in the usage help's order.
        for (String[] args : new String[][] {{"--help", "serve"}, {}, {"help", "serve"}, {"serv", "core"}}) {
            assertThat(Corestub.commandLine(args).getSubcommands().keySet())
                    .as(String.join(" ", args))
                    .containsExactly("info", "call", "serve", "help");
        }
        // What a run of one command says is what the full command line says.
        CliRun named = CliRun.of("serve", "--help");
        assertThat(named.exitCode()).isZero();
        assertThat(named.out()).startsWith("Usage: corestub serve");
        assertThat(CliRun.of("help", "serve").out()).isEqualTo(named.out());
    }
}
