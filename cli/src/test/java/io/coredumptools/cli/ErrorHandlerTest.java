package io.coredumptools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreFormatException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Unexpected exceptions: one clear line and exit 1; the stack trace only with --verbose. */
class ErrorHandlerTest {

    private final StringWriter err = new StringWriter();

    private int handle(Exception ex, int verbosity) throws Exception {
        CommandLine cmd = Corestub.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        CommandLine.ParseResult parsed = cmd.parseArgs("info", "core");
        return new ErrorHandler(() -> verbosity).handleExecutionException(ex, cmd, parsed);
    }

    @Test
    void unexpectedExceptionIsOneLineAndExitOne() throws Exception {
        int code = handle(new UnsupportedOperationException(), 0);
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines().toList())
                .singleElement()
                .asString()
                .startsWith(
                        "corestub: unexpected error: UnsupportedOperationException at ErrorHandlerTest.unexpectedExceptionIsOneLineAndExitOne(ErrorHandlerTest.java:")
                .endsWith("(run with --verbose for the stack trace)");
    }

    @Test
    void unexpectedExceptionMessageIsShown() throws Exception {
        int code = handle(new IllegalStateException("segment table\nis odd"), 0);
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("corestub: unexpected error: IllegalStateException: segment table");
        assertThat(err.toString().lines()).hasSize(1);
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        int code = handle(new NullPointerException("boom"), 1);
        assertThat(code).isEqualTo(1);
        assertThat(err.toString())
                .startsWith("corestub: unexpected error: NullPointerException: boom at ")
                .contains("java.lang.NullPointerException: boom")
                .contains("\tat ")
                .doesNotContain("run with --verbose");
    }

    @Test
    void coreFormatExceptionIsExitTwoWithItsMessage() throws Exception {
        int code = handle(new CoreFormatException(Path.of("/tmp/x"), "not an ELF file"), 0);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("corestub: /tmp/x: not an ELF file" + System.lineSeparator());
    }

    @Test
    void ioErrorWhileReadingIsUnusableInput() throws Exception {
        int code = handle(new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("/tmp/core")), 0);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("corestub: I/O error: NoSuchFileException: /tmp/core" + System.lineSeparator());
    }
}
