package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.integration.gdb.GdbOutput.Library;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: with {@code set sysroot target:}, from a directory holding no copy of the program and with no
 * program on gdb's command line, gdb gets the executable, the libraries and their debug files through vFile:
 * the backtrace is the one gdb prints on the core file with every file at hand.
 */
class GdbSysrootTargetTest {

    @TempDir
    Path empty;

    @Test
    void gdbWithoutLocalFilesGetsSymbolsAndAFullBacktraceThroughVFile() throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        GdbTranscript coreT = GdbTranscript.onCore(f, "bt", "info sharedlibrary");
        List<String> coreFrames = GdbOutput.frames(coreT.section(0));
        assertThat(GdbOutput.functions(coreT.section(0))).contains("main", "__GI_abort");
        List<Library> coreLibraries = GdbOutput.libraries(coreT.section(1));

        GdbTranscript t;
        try (CorestubServer server = CorestubServer.serve(f)) {
            t = GdbProcess.connectedTo(server)
                    .directory(empty)
                    .setup("set sysroot target:")
                    .run("bt", "info sharedlibrary");
            assertThat(server.isAlive()).isTrue();
        }
        assertThat(t.text())
                .as("the executable came from the target" + t.describe())
                .contains("Reading " + f.program() + " from remote target...");
        assertThat(GdbOutput.frames(t.section(0)))
                .as("bt through vFile" + t.describe())
                .containsExactlyElementsOf(coreFrames);
        List<Library> libraries = GdbOutput.libraries(t.section(1));
        assertThat(libraries)
                .as(t.describe())
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l.path()).startsWith("target:/"));
        assertThat(libraries.stream().map(GdbOutput::withoutTargetPrefix).toList())
                .as(t.describe())
                .containsExactlyElementsOf(coreLibraries);
        try (Stream<Path> files = Files.list(empty)) {
            assertThat(files).as("gdb wrote nothing here").isEmpty();
        }
    }
}
