package io.coredumptools.elfcore.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.symbols.DebugFileLocator;
import io.coredumptools.elfcore.symbols.ElfSymbolIndex;
import io.coredumptools.elfcore.symbols.ModuleImage;
import io.coredumptools.elfcore.symbols.NativeTools;
import io.coredumptools.elfcore.symbols.SymbolLocation;
import io.coredumptools.elfcore.symbols.TestPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build-ids from a real kernel core's memory, files resolved for it, and modules placed where gdb places them. */
class CoreFilesTest {
    private static final String CRASHER = """
            #include <stdlib.h>
            static __attribute__((noinline)) void crash_here(void) { abort(); }
            int main(void) { crash_here(); return 0; }
            """;

    @TempDir
    static Path dir;

    private static Path program;
    private static Path coreFile;
    private static RealCore core;

    @BeforeAll
    static void crash() throws Exception {
        program = TestPrograms.program(dir, "crasher", CRASHER);
        Optional<Path> dumped = RealCore.crash(program);
        assumeTrue(dumped.isPresent(), "no core written (check ulimit and /proc/sys/kernel/core_pattern)");
        coreFile = dumped.get();
        core = RealCore.open(coreFile);
    }

    @AfterAll
    static void close() {
        if (core != null) {
            core.close();
        }
    }

    private static String libcPath() {
        return core.mappedElfPaths().stream()
                .filter(p -> p.endsWith("/libc.so.6"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void buildIdsInTheCoresMemoryAreTheFilesBuildIds() {
        List<String> paths = core.mappedElfPaths();
        assertThat(paths).contains(program.toString(), libcPath());
        for (String path : paths) {
            assertThat(CoreBuildIdReader.read(core, core.headerAddress(path)))
                    .as(path)
                    .contains(NativeTools.readelfBuildId(Path.of(path)));
        }
        // Not the start of an ELF mapping: nothing.
        assertThat(CoreBuildIdReader.read(core, core.headerAddress(program.toString()) + 0x1000))
                .isEmpty();
    }

    @Test
    void everyMappingResolvesToItsFile() {
        FileResolver resolver = new FileResolver(CoreOptions.defaults(), core);
        List<MappedRegion> regions = resolver.resolveAll(core.mappings, program.toString());

        assertThat(regions).hasSameSizeAs(core.mappings);
        for (MappedRegion region : regions) {
            ResolvedFile file = region.file();
            assertThat(file.recordedPath()).isEqualTo(region.mapping().path());
            assertThat(file.resolution()).isEqualTo(Resolution.AS_IS);
            assertThat(file.coreBuildId()).isPresent().isEqualTo(file.fileBuildId());
            assertThat(file.buildIdMismatch()).isFalse();
        }
        assertThat(regions.stream().map(MappedRegion::file).distinct())
                .hasSize(core.mappedElfPaths().size());
        assertThat(resolver.warnings()).isEmpty();
    }

    @Test
    void anotherBuildGivenAsExecutableIsAMismatch() throws Exception {
        Path otherBuild = Files.createDirectories(dir.resolve("other-build"));
        Path other = TestPrograms.program(otherBuild, "crasher", CRASHER.replace("abort();", "abort(); abort();"));
        FileResolver resolver = new FileResolver(CoreOptions.defaults().withExecutable(other), core);
        ResolvedFile exe = resolver.resolve(program.toString(), true, core.headerAddress(program.toString()));

        assertThat(exe.resolution()).isEqualTo(Resolution.EXECUTABLE_OPTION);
        assertThat(exe.buildIdMismatch()).isTrue();
        assertThat(exe.buildId()).contains(NativeTools.readelfBuildId(program));
        assertThat(resolver.warnings())
                .singleElement()
                .asString()
                .contains(program.toString())
                .contains("build-id");
    }

    @Test
    void modulesArePlacedWhereGdbHasThem() {
        assumeTrue(NativeTools.run(dir, "which", "gdb").contains("gdb"));
        FileResolver resolver = new FileResolver(CoreOptions.defaults(), core);
        List<String> problems = new ArrayList<>();
        List<ModuleImage> images =
                ModuleImages.fromRegions(resolver.resolveAll(core.mappings, program.toString()), problems);
        assertThat(problems).isEmpty();
        assertThat(images).extracting(ModuleImage::recordedPath).contains(program.toString(), libcPath());
        ElfSymbolIndex index = ElfSymbolIndex.build(images, DebugFileLocator.from(CoreOptions.defaults()));

        long main = index.lookup("main").orElseThrow().address();
        long crashHere = index.lookup("crash_here").orElseThrow().address();
        long abort = index.lookup("abort").orElseThrow().address();
        assertThat(Long.toHexString(main))
                .isEqualTo(RealCore.gdbPrint(program, coreFile, "&main").replace("0x", ""));
        assertThat(Long.toHexString(crashHere))
                .isEqualTo(RealCore.gdbPrint(program, coreFile, "&crash_here").replace("0x", ""));
        assertThat(Long.toHexString(abort))
                .isEqualTo(RealCore.gdbPrint(program, coreFile, "&abort").replace("0x", ""));

        SymbolLocation inCrashHere = index.symbolize(crashHere + 1).orElseThrow();
        assertThat(inCrashHere.toString()).startsWith("crash_here+0x1 (crasher+0x");
        ModuleImage libc = images.stream()
                .filter(m -> m.recordedPath().equals(libcPath()))
                .findFirst()
                .orElseThrow();
        assertThat(libc.loadBias()).isEqualTo(core.headerAddress(libcPath()));
        assertThat(libc.start()).isEqualTo(libc.loadBias());
    }
}
