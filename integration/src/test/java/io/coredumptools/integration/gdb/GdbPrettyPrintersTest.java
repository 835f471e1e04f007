package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * libstdc++'s pretty printers through corestub. gdb auto-loads an objfile's scripts only for files it read from
 * the local file system, never for those read over vFile ({@code set sysroot target:}, the default); corestub says
 * so at connect when the files are this machine's own, and with {@code set sysroot /} the printers work: the
 * values are what gdb prints on the core file. With {@code target:} the raw form is pinned, so that a gdb that
 * changes this is noticed (and the hint reworded).
 */
class GdbPrettyPrintersTest {
    private static final String[] COMMANDS = {"print greeting", "print numbers"};

    @Test
    void withSysrootSlashTheLibstdcxxPrintersPrintWhatGdbPrintsOnTheCore() {
        CoreFixture f = Fixtures.get(Fixture.CXX_STRINGS);
        GdbTranscript onCore = GdbTranscript.onCore(f, COMMANDS);
        assertThat(onCore.value(0)).as(onCore.describe()).isEqualTo("\"hello pretty printers\"");

        GdbTranscript local;
        GdbTranscript remote;
        try (CorestubServer server = CorestubServer.serve(f)) {
            local = GdbProcess.connectedTo(server)
                    .program(f.program())
                    .setup("set sysroot /")
                    .run(COMMANDS);
            remote = GdbProcess.connectedTo(server)
                    .program(f.program())
                    .setup("set sysroot target:")
                    .run(COMMANDS);
        }
        assertThat(local.value(0)).as(local.describe()).isEqualTo(onCore.value(0));
        assertThat(local.value(1)).as(local.describe()).isEqualTo(onCore.value(1));
        assertThat(remote.text())
                .as("the hint at connect\n" + remote.describe())
                .contains("'set sysroot /' before 'target remote'");
        assertThat(remote.value(0))
                .as("over target: gdb loads no printers: the raw std::string\n" + remote.describe())
                .contains("_M_dataplus")
                .contains("\"hello pretty printers\"");
    }
}
