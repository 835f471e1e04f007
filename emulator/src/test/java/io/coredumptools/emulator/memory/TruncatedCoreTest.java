package io.coredumptools.emulator.memory;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A core cut short inside a libc segment it holds: the rest comes from libc, anonymous memory is explained. The kernel
 * (coredump_filter 0x33) leaves libc's unmodified text out, so the cut falls in a segment relocation wrote (RELRO).
 */
class TruncatedCoreTest {

    private static boolean isLibc(String path) {
        return Path.of(path).getFileName().toString().startsWith("libc.so");
    }

    @Test
    void textTheCoreLacksComesFromTheFileAndCutAnonymousMemoryIsExplained(@TempDir Path directory) throws Exception {
        CoreFixture fixture = Fixtures.get(Fixture.DEMO_PIE);
        LoadSegment text;
        LoadSegment stack;
        try (CoreDump whole = CoreDump.open(fixture.core(), CoreOptions.defaults())) {
            text = whole.segments().stream()
                    .filter(s -> s.fileSize() >= 0x3000)
                    .filter(s ->
                            whole.fileMappings().stream().anyMatch(m -> m.start() == s.vaddr() && isLibc(m.path())))
                    .findFirst()
                    .orElseThrow();
            // The stack comes after libc in the core and no file backs it.
            stack = whole.segments().stream()
                    .filter(s -> s.offset() > text.offset() && s.permissions().equals("rw-"))
                    .filter(s -> whole.fileMappings().stream().noneMatch(m -> m.contains(s.vaddr())))
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
        Path core = DemoCore.truncatedCopy(fixture, directory, text.offset() + 0x1800);
        try (DemoCore demo = DemoCore.openWithMissing(fixture, core, path -> false)) {
            MappedRegion libcText = demo.mappingsOf(TruncatedCoreTest::isLibc).stream()
                    .filter(r -> r.mapping().start() == text.vaddr())
                    .findFirst()
                    .orElseThrow();
            Path libc = libcText.file().path().orElseThrow();
            assertThat(demo.image.regionAt(text.vaddr()).orElseThrow().source()).isEqualTo(RegionSource.CORE);
            // Two pages from the core: the second only partly present (zeros after the cut).
            ImageRegion fromFile = demo.image.regionAt(text.vaddr() + 0x2000).orElseThrow();
            assertThat(fromFile.source()).isEqualTo(RegionSource.FILE);
            for (long address : new long[] {text.vaddr() + 0x2000, text.vaddr() + 0x5678, text.end() - 64}) {
                long offset = libcText.mapping().fileOffset()
                        + (address - libcText.mapping().start());
                assertThat(demo.image.read(address, 64))
                        .as("libc text at 0x%x", address)
                        .containsExactly(DemoCore.fileBytes(libc, offset, 64));
            }
            assertThat(demo.image.regionAt(stack.vaddr())).isEmpty();
            assertThat(demo.image.unbackedAt(stack.vaddr()).orElseThrow().reason())
                    .isEqualTo(UnbackedRange.Reason.TRUNCATED_CORE);
            assertThat(demo.image.describe(stack.vaddr() + 8))
                    .startsWith("0x" + Long.toHexString(stack.vaddr() + 8) + " lies in [0x")
                    .contains("which is cut off in the truncated core");
        }
    }
}
