package io.coredumptools.rsp.inferior;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.PathMapping;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.testkit.Bytes;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the connect and stop warnings say about a core's files. */
class CoreWarningsTest {
    @TempDir
    Path dir;

    @Test
    void filesAtTheirRecordedPathsHaveNoProblemAndGetTheSysrootHint() throws Exception {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_PIE);
        try (LoadedCore core = LoadedCore.open(demo.core(), EmulatorOptions.defaults())) {
            CoreWarnings warnings = new CoreWarnings(core.core());
            assertThat(warnings.problems()).isEmpty();
            assertThat(warnings.filesAreAtTheirRecordedPaths()).isTrue();
            FileMapping libm = libm(core);
            assertThat(warnings.problemAt(libm.start())).isEmpty();
        }
    }

    /** A gcore core, which leaves out libm's unmodified mappings: their bytes come from the file served. */
    @Test
    void aLibraryOfAnotherBuildIsAProblemAtConnectAndWhereItsBytesAreUsed() throws Exception {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_GCORE);
        String recorded;
        try (LoadedCore core = LoadedCore.open(demo.core(), EmulatorOptions.defaults())) {
            recorded = libm(core).path();
        }
        // The same bytes but one of its build-id: the NT_GNU_BUILD_ID note (namesz 4, descsz 20, type 3, "GNU").
        byte[] bytes = Files.readAllBytes(Path.of(recorded));
        int note = Bytes.indexOf(bytes, new byte[] {4, 0, 0, 0, 20, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0});
        assertThat(note).isPositive();
        bytes[note + 16] ^= (byte) 0xff;
        Path other = Files.write(dir.resolve("libm.so.6"), bytes);
        EmulatorOptions options = EmulatorOptions.defaults()
                .withCore(
                        CoreOptions.defaults().withPathMappings(List.of(new PathMapping(recorded, other.toString()))));
        try (LoadedCore core = LoadedCore.open(demo.core(), options)) {
            CoreWarnings warnings = new CoreWarnings(core.core());
            assertThat(warnings.problems()).anyMatch(w -> w.contains(recorded) && w.contains("build-id"));
            assertThat(warnings.filesAreAtTheirRecordedPaths()).isFalse();
            List<FileMapping> libm = core.core().fileMappings().stream()
                    .filter(m -> m.path().equals(recorded))
                    .toList();
            long fromFile = libm.stream()
                    .map(FileMapping::start)
                    .filter(a -> !inCoreData(core, a))
                    .findFirst()
                    .orElseThrow();
            assertThat(warnings.problemAt(fromFile + 16))
                    .hasValueSatisfying(p -> assertThat(p).contains(recorded).contains("another build"));
            libm.stream()
                    .map(FileMapping::start)
                    .filter(a -> inCoreData(core, a))
                    .forEach(a -> assertThat(warnings.problemAt(a))
                            .as("the core's own bytes there")
                            .isEmpty());
            assertThat(warnings.problemAt(core.core().fileMappings().get(0).start()))
                    .isEmpty();
        }
    }

    private static boolean inCoreData(LoadedCore core, long address) {
        return core.core().segments().stream()
                .anyMatch(s -> Long.compareUnsigned(s.vaddr(), address) <= 0
                        && Long.compareUnsigned(address, s.vaddr() + s.presentBytes()) < 0);
    }

    private static FileMapping libm(LoadedCore core) {
        return core.core().fileMappings().stream()
                .filter(m -> m.path().endsWith("/libm.so.6"))
                .findFirst()
                .orElseThrow();
    }
}
