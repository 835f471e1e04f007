package io.coredumptools.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(CoreFixtureExtension.class)
class FixturesTest {

    @ParameterizedTest
    @EnumSource(
            value = Fixture.class,
            names = {"DEMO_PIE", "DEMO_NO_PIE", "DEMO_STATIC", "DEMO_LAZY", "DEMO_GCORE"})
    void everyDemoFixtureBuildsAndLeavesAnElfCore(Fixture fixture) {
        CoreFixture built = Fixtures.get(fixture);

        assertThat(built.name()).isEqualTo(fixture.name());
        assertThat(built.fixture()).isEqualTo(fixture);
        assertThat(built.program()).isExecutable().hasParent(built.directory());
        assertThat(built.source()).isRegularFile().hasFileName("demo.c");
        assertThat(built.core()).isRegularFile().hasParent(built.directory());
        assertThat(ElfFileType.isCore(built.core()))
                .as("%s is an ELF core", built.core())
                .isTrue();
        assertThat(built.directory().getParent()).isEqualTo(realPath(Fixtures.directory()));
    }

    @Test
    void executablesAreLinkedAsTheirNamesSay() {
        assertThat(ElfFileType.of(Fixtures.get(Fixture.DEMO_PIE).program())).isEqualTo(ElfFileType.ET_DYN);
        assertThat(ElfFileType.of(Fixtures.get(Fixture.DEMO_NO_PIE).program())).isEqualTo(ElfFileType.ET_EXEC);
        Path staticProgram = Fixtures.get(Fixture.DEMO_STATIC).program();
        assertThat(ElfFileType.of(staticProgram)).isEqualTo(ElfFileType.ET_EXEC);
        assertThat(readelf("-l", staticProgram)).doesNotContain("INTERP");
    }

    @Test
    void secondGetIsServedFromTheCacheWithoutRebuilding() throws IOException {
        CoreFixture first = Fixtures.get(Fixture.DEMO_PIE);
        FileTime coreWrittenAt = Files.getLastModifiedTime(first.core());
        FileTime programWrittenAt = Files.getLastModifiedTime(first.program());
        long buildDirectories = buildDirectoriesOf(first);

        CoreFixture second = Fixtures.get(Fixture.DEMO_PIE);

        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second.core())).isEqualTo(coreWrittenAt);
        assertThat(Files.getLastModifiedTime(second.program())).isEqualTo(programWrittenAt);
        assertThat(buildDirectoriesOf(second)).isEqualTo(buildDirectories);
    }

    @Test
    void gcoreFixtureUsesTheVeryPieExecutable() throws IOException {
        CoreFixture pie = Fixtures.get(Fixture.DEMO_PIE);
        CoreFixture gcore = Fixtures.get(Fixture.DEMO_GCORE);

        assertThat(gcore.directory()).isNotEqualTo(pie.directory());
        assertThat(Files.mismatch(gcore.program(), pie.program())).isEqualTo(-1L);
        assertThat(Files.mismatch(gcore.core(), pie.core())).isNotEqualTo(-1L);
    }

    /**
     * Kernel cores and gcore cores are taken with the kernel's default coredump_filter (0x33), not the JVM's 0x3f,
     * which the program would inherit: libc's unmodified text (over 1 MiB) is left out of both, as in the field.
     */
    @ParameterizedTest
    @EnumSource(
            value = Fixture.class,
            names = {"DEMO_PIE", "DEMO_GCORE", "FAULTS", "FAULTS_GCORE"})
    void coresLeaveOutUnmodifiedFileBackedTextAsInTheField(Fixture fixture) {
        String headers = readelf("-l", Fixtures.get(fixture).core());
        List<String> loads =
                headers.lines().filter(l -> l.strip().startsWith("LOAD")).toList();
        assertThat(loads).isNotEmpty();
        // LOAD offset vaddr paddr filesz memsz flags align
        List<String> bigExecutableData = loads.stream()
                .filter(l -> {
                    String[] f = l.strip().split("\\s+");
                    return Long.decode(f[4]) >= 0x100000
                            && l.substring(l.indexOf(f[5]) + f[5].length()).contains("E");
                })
                .toList();
        assertThat(bigExecutableData).as(headers).isEmpty();
    }

    @Test
    void injectsTheAnnotatedFixture(@FixtureOf(Fixture.DEMO_NO_PIE) CoreFixture demo) {
        assertThat(demo).isEqualTo(Fixtures.get(Fixture.DEMO_NO_PIE));
    }

    @Test
    void copyOfCoreCanBeTruncatedWithoutTouchingTheCachedCore(
            @FixtureOf(Fixture.DEMO_PIE) CoreFixture demo, @TempDir Path scratch) throws IOException {
        long cachedSize = Files.size(demo.core());

        Path copy = Fixtures.copyOfCore(demo, scratch);
        assertThat(copy).hasParent(scratch).isWritable();
        assertThat(Files.mismatch(copy, demo.core())).isEqualTo(-1L);
        try (RandomAccessFile file = new RandomAccessFile(copy.toFile(), "rw")) {
            file.setLength(1000);
        }

        assertThat(Files.size(copy)).isEqualTo(1000);
        assertThat(Files.size(demo.core())).isEqualTo(cachedSize);
        assertThat(demo.copyOfCore(scratch)).hasSize(cachedSize);
    }

    @Test
    void bigmemSizeComesFromTheSystemProperty() {
        String before = System.getProperty("bigmem.mib");
        try {
            System.clearProperty("bigmem.mib");
            assertThat(Fixture.BIGMEM.programArguments()).containsExactly("2048");
            System.setProperty("bigmem.mib", "16");
            assertThat(Fixture.BIGMEM.programArguments()).containsExactly("16");
        } finally {
            if (before == null) {
                System.clearProperty("bigmem.mib");
            } else {
                System.setProperty("bigmem.mib", before);
            }
        }
    }

    private static long buildDirectoriesOf(CoreFixture fixture) throws IOException {
        String key = fixture.directory().getFileName().toString().replaceAll("\\.build-.*", "");
        try (Stream<Path> entries = Files.list(fixture.directory().getParent())) {
            return entries.filter(entry -> entry.getFileName().toString().startsWith(key + ".build-"))
                    .count();
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readelf(String option, Path file) {
        CommandResult result = ExternalCommand.run(
                List.of("readelf", "-W", option, file.toString()), file.getParent(), Duration.ofSeconds(30));
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return result.stdout();
    }
}
