package io.coredumptools.elfcore.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.ElfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separate debug files found by build-id and by .gnu_debuglink, as objcopy and strip make them. */
class DebugFileLocatorTest {
    private static final long BIAS = 0x555555554000L;

    @TempDir
    Path dir;

    private Path original;
    private Path debug;
    private Path stripped;
    private String buildId;

    /** build/prog (with symbols), build/prog.debug (--only-keep-debug) and app/prog (stripped, debug-linked). */
    @BeforeEach
    void buildStrippedProgram() throws Exception {
        Path build = Files.createDirectories(dir.resolve("build"));
        Path app = Files.createDirectories(dir.resolve("app"));
        original = TestPrograms.program(build, "prog", TestPrograms.PROGRAM);
        debug = build.resolve("prog.debug");
        stripped = app.resolve("prog");
        NativeTools.run(build, "objcopy", "--only-keep-debug", "prog", "prog.debug");
        NativeTools.run(build, "strip", "--strip-all", "-o", stripped.toString(), "prog");
        NativeTools.run(build, "objcopy", "--add-gnu-debuglink=prog.debug", stripped.toString());
        buildId = NativeTools.readelfBuildId(original);
        assertThat(buildId).hasSizeGreaterThan(8);
    }

    private Optional<Path> locate(DebugFileLocator locator, Path object, List<String> problems) throws Exception {
        try (ElfFile elf = ElfFile.open(object)) {
            return locator.locate(elf, problems);
        }
    }

    private Path place(Path target) throws Exception {
        Files.createDirectories(target.getParent());
        return Files.copy(debug, target);
    }

    private ElfSymbolIndex index(DebugFileLocator locator) throws Exception {
        ModuleImage module =
                new ModuleImage("/app/prog", stripped, BIAS, BIAS, BIAS + ElfSymbolIndexLibcTest.imageSize(stripped));
        return ElfSymbolIndex.build(List.of(module), locator);
    }

    @Test
    void strippedProgramHasNoSymbolsOfItsOwn() throws Exception {
        ElfSymbolIndex index = index(DebugFileLocator.none());
        assertThat(index.lookup("main")).isEmpty();
        assertThat(index.lookup("local_helper")).isEmpty();
    }

    @Test
    void debugLinkInTheObjectsDirectory() throws Exception {
        Path placed = place(stripped.resolveSibling("prog.debug"));
        List<String> problems = new ArrayList<>();
        assertThat(locate(DebugFileLocator.none(), stripped, problems)).contains(placed);
        assertThat(problems).isEmpty();

        // The debug file's .symtab (its code sections are NOBITS) gives the values nm gives the original.
        ElfSymbolIndex index = index(DebugFileLocator.none());
        assertThat(index.lookup("local_helper").orElseThrow().address())
                .isEqualTo(BIAS + TestPrograms.nmValue(original, "local_helper"));
        assertThat(index.lookup("main").orElseThrow().address())
                .isEqualTo(BIAS + TestPrograms.nmValue(original, "main"));
        assertThat(index.symbolize(BIAS + TestPrograms.nmValue(original, "main") + 8)
                        .orElseThrow()
                        .toString())
                .startsWith("main+0x8 (prog+0x");
    }

    @Test
    void debugLinkInTheDotDebugSubdirectory() throws Exception {
        Path placed = place(stripped.resolveSibling(".debug").resolve("prog.debug"));
        assertThat(locate(DebugFileLocator.none(), stripped, new ArrayList<>())).contains(placed);
    }

    @Test
    void debugLinkUnderADebugDirectoryMirroringTheObjectsDirectory() throws Exception {
        Path debugDir = dir.resolve("debugroot");
        Path appDir = stripped.toAbsolutePath().getParent();
        Path placed =
                place(debugDir.resolve(appDir.getRoot().relativize(appDir)).resolve("prog.debug"));
        DebugFileLocator locator = new DebugFileLocator(List.of(debugDir), null);
        assertThat(locate(locator, stripped, new ArrayList<>())).contains(placed);
        assertThat(index(locator).lookup("local_helper")).isPresent();
    }

    @Test
    void buildIdDirectoryOfAnExtraDebugDirectory() throws Exception {
        Path debugDir = dir.resolve("debugroot");
        Path placed = place(debugDir.resolve(".build-id")
                .resolve(buildId.substring(0, 2))
                .resolve(buildId.substring(2) + ".debug"));
        // The build-id works without any debug link.
        Path noLink = dir.resolve("app2").resolve("prog");
        Files.createDirectories(noLink.getParent());
        NativeTools.run(dir, "strip", "--strip-all", "-o", noLink.toString(), original.toString());
        DebugFileLocator locator = DebugFileLocator.from(
                CoreOptions.defaults().withDebugDirs(List.of(debugDir)).withSystemDebugDir(null));

        assertThat(locate(locator, noLink, new ArrayList<>())).contains(placed);
        assertThat(locate(DebugFileLocator.none(), noLink, new ArrayList<>())).isEmpty();
    }

    @Test
    void debugLinkWithWrongCrcIsRejected() throws Exception {
        Path placed = place(stripped.resolveSibling("prog.debug"));
        Files.write(placed, new byte[] {0}, StandardOpenOption.APPEND);
        List<String> problems = new ArrayList<>();

        assertThat(locate(DebugFileLocator.none(), stripped, problems)).isEmpty();
        assertThat(problems)
                .singleElement()
                .asString()
                .contains(placed.toString())
                .contains("CRC-32");
        assertThat(index(DebugFileLocator.none()).lookup("local_helper")).isEmpty();
    }

    @Test
    void debugFileOfAnotherBuildIsRejectedEvenWithTheRightCrc() throws Exception {
        Path other = TestPrograms.program(dir.resolve("build"), "other", TestPrograms.OTHER_PROGRAM);
        NativeTools.run(other.getParent(), "objcopy", "--only-keep-debug", "other", "other.debug");
        Path linkedToOther = dir.resolve("app").resolve("prog-misled");
        NativeTools.run(dir, "strip", "--strip-all", "-o", linkedToOther.toString(), original.toString());
        NativeTools.run(other.getParent(), "objcopy", "--add-gnu-debuglink=other.debug", linkedToOther.toString());
        Files.copy(other.getParent().resolve("other.debug"), linkedToOther.resolveSibling("other.debug"));
        List<String> problems = new ArrayList<>();

        assertThat(locate(DebugFileLocator.none(), linkedToOther, problems)).isEmpty();
        assertThat(problems).singleElement().asString().contains("build-id").contains(buildId);
    }

    @Test
    void wrongFileInTheBuildIdDirectoryFallsBackToTheDebugLink() throws Exception {
        Path debugDir = dir.resolve("debugroot");
        Path other = TestPrograms.program(dir.resolve("build"), "other", TestPrograms.OTHER_PROGRAM);
        Path wrong =
                debugDir.resolve(".build-id").resolve(buildId.substring(0, 2)).resolve(buildId.substring(2) + ".debug");
        Files.createDirectories(wrong.getParent());
        Files.copy(other, wrong);
        Path right = place(stripped.resolveSibling("prog.debug"));
        List<String> problems = new ArrayList<>();

        assertThat(locate(new DebugFileLocator(List.of(debugDir), null), stripped, problems))
                .contains(right);
        assertThat(problems).singleElement().asString().contains(wrong.toString());
    }

    @Test
    void systemDebugDirectoryFindsLibcDebugFile() throws Exception {
        Path expected = SymbolTableReaderTest.libcDebugFile();
        assertThat(locate(DebugFileLocator.from(CoreOptions.defaults()), NativeTools.LIBC, new ArrayList<>()))
                .contains(expected);
        assertThat(locate(
                        DebugFileLocator.from(CoreOptions.defaults().withSystemDebugDir(null)),
                        NativeTools.LIBC,
                        new ArrayList<>()))
                .isEmpty();
    }

    @Test
    void candidatesInSearchOrder() {
        DebugFileLocator locator = new DebugFileLocator(List.of(Path.of("/extra")), Path.of("/usr/lib/debug"));
        assertThat(locator.buildIdCandidates("93ac61ec"))
                .containsExactly(
                        Path.of("/extra/.build-id/93/ac61ec.debug"),
                        Path.of("/usr/lib/debug/.build-id/93/ac61ec.debug"));
        assertThat(locator.debugLinkCandidates(Path.of("/usr/bin"), "ls.debug"))
                .containsExactly(
                        Path.of("/usr/bin/ls.debug"),
                        Path.of("/usr/bin/.debug/ls.debug"),
                        Path.of("/extra/usr/bin/ls.debug"),
                        Path.of("/usr/lib/debug/usr/bin/ls.debug"));
    }

    @Test
    void crcMatchesTheOneObjcopyRecorded() throws Exception {
        try (ElfFile elf = ElfFile.open(stripped)) {
            DebugLink link = DebugLink.read(elf).orElseThrow();
            assertThat(link.fileName()).isEqualTo("prog.debug");
            assertThat(link.crc()).isEqualTo(DebugFileLocator.crc32(debug));
        }
    }
}
