package io.coredumptools.elfcore.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.LoadedObject;
import io.coredumptools.elfcore.symbols.ModuleImage;
import io.coredumptools.elfcore.symbols.NativeTools;
import io.coredumptools.elfcore.symbols.TestPrograms;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load biases from NT_FILE-style mappings of real files. */
class ModuleImagesTest {
    private static final long LIBC_START = 0x7f4a12c00000L;

    @TempDir
    static Path dir;

    private static Path pie;
    private static Path nonPie;

    @BeforeAll
    static void compile() throws Exception {
        pie = TestPrograms.program(dir, "pie", TestPrograms.PROGRAM);
        nonPie = NativeTools.compile(dir, "nopie", TestPrograms.PROGRAM, "-no-pie", "-fno-pie");
    }

    @Test
    void sharedObjectBiasIsWhereItsFirstPageIsMapped() throws Exception {
        List<FileMapping> mappings = List.of(
                new FileMapping(LIBC_START + 0x26000, LIBC_START + 0x17c000, 0x26000, "/lib/libc.so.6"),
                new FileMapping(LIBC_START, LIBC_START + 0x26000, 0, "/lib/libc.so.6"));
        try (ElfFile libc = ElfFile.open(NativeTools.LIBC)) {
            assertThat(ModuleImages.loadBias(libc, mappings)).isEqualTo(LIBC_START);
        }
    }

    @Test
    void nonPieExecutableHasNoBias() throws Exception {
        try (ElfFile exe = ElfFile.open(nonPie)) {
            long lowest = exe.programHeaders().stream()
                    .filter(p -> p.type() == 1)
                    .mapToLong(p -> p.vaddr())
                    .min()
                    .orElseThrow();
            assertThat(lowest).isEqualTo(0x400000L);
            assertThat(ModuleImages.loadBias(exe, List.of(new FileMapping(0x400000L, 0x401000L, 0, "/nopie"))))
                    .isZero();
        }
    }

    @Test
    void withoutTheFirstPageTheSegmentHoldingTheOffsetPlacesIt() throws Exception {
        long bias = 0x555555554000L;
        try (ElfFile exe = ElfFile.open(pie)) {
            var code = exe.programHeaders().stream()
                    .filter(p -> p.type() == 1 && p.offset() != 0)
                    .findFirst()
                    .orElseThrow();
            long pageOffset = code.offset() & ~0xfffL;
            long start = bias + code.vaddr() - (code.offset() - pageOffset);
            assertThat(ModuleImages.loadBias(exe, List.of(new FileMapping(start, start + 0x1000, pageOffset, "/pie"))))
                    .isEqualTo(bias);
            assertThatThrownBy(() -> ModuleImages.loadBias(
                            exe, List.of(new FileMapping(start, start + 0x1000, 0x7000_0000L, "/pie"))))
                    .isInstanceOf(CoreFormatException.class)
                    .hasMessageContaining("0x70000000");
        }
    }

    @Test
    void imageSpansAllMappingsOfItsFile() throws Exception {
        ResolvedFile file =
                new ResolvedFile("/app/pie", Optional.of(pie), Resolution.AS_IS, Optional.empty(), Optional.empty());
        List<FileMapping> mappings = List.of(
                new FileMapping(0x555555554000L, 0x555555555000L, 0, "/app/pie"),
                new FileMapping(0x7f0000000000L, 0x7f0000001000L, 0, "/other"),
                new FileMapping(0x555555557000L, 0x555555559000L, 0x2000, "/app/pie"));
        ModuleImage image = ModuleImages.of(file, mappings).orElseThrow();
        assertThat(image)
                .isEqualTo(new ModuleImage("/app/pie", pie, 0x555555554000L, 0x555555554000L, 0x555555559000L));

        ResolvedFile missing =
                new ResolvedFile("/other", Optional.empty(), Resolution.MISSING, Optional.empty(), Optional.empty());
        assertThat(ModuleImages.of(missing, mappings)).isEmpty();
    }

    @Test
    void loadOrderFollowsTheLinkMapByLoadBias() {
        ModuleImage ld =
                new ModuleImage("/lib/ld.so", Path.of("/lib/ld.so"), 0x7f0000300000L, 0x7f0000300000L, 0x7f0000400000L);
        ModuleImage libc = new ModuleImage(
                "/lib/libc.so.6", Path.of("/lib/libc.so.6"), 0x7f0000100000L, 0x7f0000100000L, 0x7f0000200000L);
        ModuleImage exe = new ModuleImage("/app", Path.of("/app"), 0x555555554000L, 0x555555554000L, 0x555555560000L);
        ModuleImage dlclosed = new ModuleImage(
                "/lib/gone.so", Path.of("/lib/gone.so"), 0x7f0000500000L, 0x7f0000500000L, 0x7f0000600000L);
        List<LoadedObject> linkMap = List.of(
                new LoadedObject("", 0x555555554000L, 0, 0),
                new LoadedObject("linux-vdso.so.1", 0x7ffff7fc1000L, 0, 0),
                new LoadedObject("/lib/x86_64-linux-gnu/libc.so.6", 0x7f0000100000L, 0, 0),
                new LoadedObject("/lib64/ld-linux-x86-64.so.2", 0x7f0000300000L, 0, 0));

        assertThat(ModuleImages.inLoadOrder(List.of(dlclosed, exe, libc, ld), linkMap))
                .containsExactly(exe, libc, ld, dlclosed);
        assertThat(ModuleImages.inLoadOrder(List.of(libc, exe), List.of())).containsExactly(libc, exe);
    }
}
