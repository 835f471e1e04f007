package io.coredumptools.elfcore;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreEdits;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A core that leaves out the unmodified file-backed segments, as gdb's gcore writes them: ELF headers, program
 * headers and text live only in the files, and the readers still find the loaded objects.
 */
class LeftOutSegmentsTest {
    @Test
    void theLinkMapAndTheProcessMemoryComeFromTheFilesWhereTheCoreHasNothing(@TempDir Path directory) throws Exception {
        CoreEdits.Edited edited = CoreEdits.withoutFileBackedReadOnlyData(Fixtures.get(Fixture.DEMO_PIE), directory);
        // The kernel (coredump_filter 0x33) already leaves out unmodified file-backed text; the edit drops
        // the ELF header pages it keeps, one per file-backed object (program, libc, ld.so at least).
        assertThat(edited.segmentsWithoutData()).isGreaterThanOrEqualTo(3);
        List<LoadedObject> whole;
        long phdr;
        try (CoreDump original = CoreDump.open(Fixtures.get(Fixture.DEMO_PIE).core(), CoreOptions.defaults())) {
            whole = original.loadedObjects();
            phdr = original.auxvValue(AuxvEntry.AT_PHDR).orElseThrow();
        }
        try (CoreDump core = CoreDump.open(edited.core(), CoreOptions.defaults())) {
            assertThat(core.memory().read(phdr, 56))
                    .as("the core itself lacks the program headers")
                    .isEmpty();
            assertThat(core.processMemory().read(phdr, 56)).isPresent();
            assertThat(core.loadedObjects()).hasSameSizeAs(whole).hasSizeGreaterThanOrEqualTo(4);
            assertThat(core.loadedObjects().stream().map(LoadedObject::loadBias))
                    .containsExactlyElementsOf(
                            whole.stream().map(LoadedObject::loadBias).toList());
            assertThat(core.symbols().lookup("next_id")).isPresent();
        }
    }
}
