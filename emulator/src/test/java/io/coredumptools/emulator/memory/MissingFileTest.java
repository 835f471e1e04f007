package io.coredumptools.emulator.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libm resolved as MISSING (as if absent on this machine) in a core that lacks libm's text: that text
 * stays unmapped and describe() says why. (This kernel dumps text, so the core is cut short before it.)
 */
class MissingFileTest {

    private static boolean isLibm(String path) {
        return Path.of(path).getFileName().toString().startsWith("libm.so");
    }

    @Test
    void aMissingFilesUndumpedRegionIsUnmappedAndExplained(@TempDir Path directory) throws Exception {
        CoreFixture fixture = Fixtures.get(Fixture.DEMO_PIE);
        long cut;
        try (CoreDump whole = CoreDump.open(fixture.core(), CoreOptions.defaults())) {
            long libmStart = whole.fileMappings().stream()
                    .filter(m -> isLibm(m.path()))
                    .mapToLong(m -> m.start())
                    .min()
                    .orElseThrow();
            LoadSegment first = whole.segments().stream()
                    .filter(s -> s.vaddr() == libmStart)
                    .findFirst()
                    .orElseThrow();
            cut = first.offset() + 0x1000; // keeps libm's ELF header page
        }
        Path core = DemoCore.truncatedCopy(fixture, directory, cut);
        try (DemoCore demo = DemoCore.openWithMissing(fixture, core, MissingFileTest::isLibm)) {
            MappedRegion libmText = demo.mappingsOf(MissingFileTest::isLibm).stream()
                    .filter(r -> demo.image.unbackedAt(r.mapping().start()).isPresent())
                    .findFirst()
                    .orElseThrow();
            long address = libmText.mapping().start() + 0x10;
            UnbackedRange range = demo.image.unbackedAt(address).orElseThrow();
            assertThat(range.reason()).isEqualTo(UnbackedRange.Reason.MISSING_FILE);
            assertThat(demo.image.regionAt(address)).isEmpty();
            assertThat(demo.unicorn.regions()).noneMatch(r -> r.begin() <= address && address < r.end());
            String expected = "0x" + Long.toHexString(address) + " lies in "
                    + libmText.mapping().path() + " [0x";
            assertThat(demo.image.describe(address))
                    .startsWith(expected)
                    .endsWith("which is MISSING on this machine: pass --sysroot or --map");
            assertThatThrownBy(() -> demo.image.read(address, 4))
                    .isInstanceOf(MemoryAccessException.class)
                    .hasMessageContaining("MISSING on this machine");
            // Scratch memory is never placed where the missing library was.
            long free = demo.image.findFreeRange(1 << 20);
            assertThat(demo.image.unbackedAt(free)).isEmpty();
            // The ELF header page of libm is in the core, so that part stays readable.
            assertThat(demo.image.read(
                            demo.mappingsOf(MissingFileTest::isLibm)
                                    .get(0)
                                    .mapping()
                                    .start(),
                            4))
                    .containsExactly(0x7f, 'E', 'L', 'F');
        }
    }
}
