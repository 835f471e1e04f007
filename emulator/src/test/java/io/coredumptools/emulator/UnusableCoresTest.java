package io.coredumptools.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.UnusableCoreException;
import io.coredumptools.testkit.CoreEdits;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cores the model reads but no code can run on are refused with the typed error, naming the file and the
 * problem (issue 11, item 6: today IllegalArgumentException, "mappings are whole pages", an mmap errno 75).
 */
class UnusableCoresTest {
    private static final CoreFixture DEMO = Fixtures.get(Fixture.DEMO_PIE);

    private static void assertRefused(Path core, String problem) throws Exception {
        try (CoreDump readable = CoreDump.open(core, CoreOptions.defaults())) {
            assertThat(readable.segments())
                    .as("the model still reads it (for info)")
                    .isNotEmpty();
            assertThatThrownBy(() -> Emulator.openShared(readable, null, EmulatorOptions.defaults()))
                    .isInstanceOfSatisfying(UnusableCoreException.class, e -> {
                        assertThat(e.file()).isEqualTo(core);
                        assertThat(e.problem()).hasMessageContaining(problem);
                    });
        }
        assertThatThrownBy(() -> Emulator.open(core, EmulatorOptions.defaults()))
                .isInstanceOf(CoreFormatException.class)
                .hasMessageStartingWith(core + ": ")
                .hasMessageContaining(problem);
    }

    @Test
    void aCoreWhoseThreadNotesAreRetypedHasNoThreadToRunOn(@TempDir Path directory) throws Exception {
        assertRefused(CoreEdits.withNotesRetyped(DEMO, directory, 1, 0x7777), "records no thread");
    }

    @Test
    void aSegmentThatIsNotWholePagesIsRefused(@TempDir Path directory) throws Exception {
        assertRefused(CoreEdits.withFirstLoadMemorySize(DEMO, directory, 0x1200), "whole 4 KiB pages");
    }

    @Test
    void anImpossibleNtFilePageSizeIsRefused(@TempDir Path directory) throws Exception {
        assertRefused(
                CoreEdits.withNtFilePageSize(DEMO, directory, 0x7fff_ffff_ffff_ffffL), "NT_FILE gives a page size");
    }
}
