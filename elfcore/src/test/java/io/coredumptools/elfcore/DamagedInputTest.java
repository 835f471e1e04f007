package io.coredumptools.elfcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cut-short cores keep what they have; files that are no core are refused with one clear line. */
class DamagedInputTest {
    @TempDir
    Path dir;

    @Test
    void coreCutToHalfStillOpensAndReportsWhatIsMissing() throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        Path cut = f.copyOfCore(dir);
        long fullSize = Files.size(cut);
        try (RandomAccessFile file = new RandomAccessFile(cut.toFile(), "rw")) {
            file.setLength(fullSize / 2);
        }
        try (CoreDump whole = CoreDump.open(f.core(), CoreOptions.defaults());
                CoreDump core = CoreDump.open(cut, CoreOptions.defaults())) {
            assertThat(whole.truncation().isTruncated()).isFalse();
            TruncationReport report = core.truncation();
            assertThat(report.isTruncated()).isTrue();
            assertThat(report.fileSize()).isEqualTo(fullSize / 2);
            assertThat(report.expectedSize()).isEqualTo(fullSize);
            assertThat(report.missingBytes()).isEqualTo(fullSize - fullSize / 2);
            assertThat(report.truncated()).isNotEmpty();
            assertThat(report.missing()).isNotEmpty();
            long lost = report.truncated().stream()
                    .mapToLong(LoadSegment::missingBytes)
                    .sum();
            assertThat(lost).isEqualTo(report.missingBytes());
            assertThat(core.warnings()).anyMatch(w -> w.contains("truncated"));
            // The notes are at the front: threads and registers survive.
            assertThat(core.threads()).hasSameSizeAs(whole.threads());
            assertThat(core.threads().get(0).registers())
                    .isEqualTo(whole.threads().get(0).registers());
            // Memory past the cut is absent, not garbage.
            LoadSegment gone = report.missing().get(0);
            assertThat(core.memory().read(gone.vaddr(), 8)).isEmpty();
        }
    }

    @Test
    void aProgramIsNotACore() {
        Path program = Fixtures.get(Fixture.DEMO_PIE).program();
        assertThatThrownBy(() -> CoreDump.open(program, CoreOptions.defaults()))
                .isInstanceOf(CoreFormatException.class)
                .hasMessage(program + ": not a core dump: the ELF type is ET_DYN (shared object or PIE)");
    }

    @Test
    void aTextFileIsNotACore() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "just some text\n");
        assertThatThrownBy(() -> CoreDump.open(text, CoreOptions.defaults()))
                .isInstanceOf(CoreFormatException.class)
                .hasMessage(text + ": not an ELF file (no \\x7fELF magic)");
    }

    @Test
    void anEmptyFileIsNotACore() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty"));
        assertThatThrownBy(() -> CoreDump.open(empty, CoreOptions.defaults()))
                .isInstanceOf(CoreFormatException.class)
                .hasMessage(empty + ": the file is empty");
    }

    @Test
    void aMissingFileIsReportedByName() {
        Path missing = dir.resolve("no-such-core");
        assertThatThrownBy(() -> CoreDump.open(missing, CoreOptions.defaults()))
                .isInstanceOf(CoreFormatException.class)
                .hasMessageStartingWith(missing + ": cannot be opened for reading");
    }

    @Test
    void headerOnlyCoreIsRefusedClearly() throws Exception {
        Path cut = Fixtures.get(Fixture.DEMO_PIE).copyOfCore(dir);
        try (RandomAccessFile file = new RandomAccessFile(cut.toFile(), "rw")) {
            file.setLength(64);
        }
        assertThatThrownBy(() -> CoreDump.open(cut, CoreOptions.defaults()))
                .isInstanceOf(CoreFormatException.class)
                .hasMessageContaining("program header table")
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void openingNeverWritesTheCore() throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        long modified = Files.getLastModifiedTime(f.core()).toMillis();
        byte[] before = Files.readAllBytes(f.core());
        try (CoreDump core = CoreDump.open(f.core(), CoreOptions.defaults())) {
            core.threads();
            core.loadedObjects();
        }
        assertThat(Files.getLastModifiedTime(f.core()).toMillis()).isEqualTo(modified);
        assertThat(Files.readAllBytes(f.core())).isEqualTo(before);
    }
}
