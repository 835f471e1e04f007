package io.coredumptools.elfcore.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.elfcore.files.Resolution;
import io.coredumptools.elfcore.files.ResolvedFile;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A core and its files read through {@link FileSource}s whose bytes appear only once ensured: everything elfcore
 * reads must be ensured first (a forgotten ensure reads zeros and the comparison with the local open fails), and
 * opening touches a small part of the core.
 */
class RemoteSourceTest {
    private static final long CHUNK = 64 * 1024;

    @TempDir
    Path cache;

    @Test
    void aRemoteCoreAndRemoteFilesOpenAsTheLocalOnesDoAndTouchLittle() throws Exception {
        Path corePath = Fixtures.get(Fixture.DEMO_PIE).core();
        CopyingFiles files = new CopyingFiles(cache, CHUNK, null);
        CopyOnEnsureSource coreSource = new CopyOnEnsureSource(corePath, cache, CHUNK);
        try (CoreDump local = CoreDump.open(corePath, CoreOptions.defaults());
                CoreDump remote =
                        CoreDump.open(coreSource, CoreOptions.defaults().withRemoteFiles(files))) {
            assertThat(remote.location()).isEqualTo("test://" + corePath);
            assertThat(registers(remote.threads())).isEqualTo(registers(local.threads()));
            assertThat(remote.loadedObjects()).isEqualTo(local.loadedObjects());
            assertThat(remote.process()).isEqualTo(local.process());
            assertThat(remote.auxv()).isEqualTo(local.auxv());
            assertThat(remote.symbols().lookup("next_id").map(Object::toString))
                    .isEqualTo(local.symbols().lookup("next_id").map(Object::toString));

            List<ResolvedFile> resolved = remote.mappedRegions().stream()
                    .map(MappedRegion::file)
                    .distinct()
                    .toList();
            assertThat(resolved).isNotEmpty();
            for (ResolvedFile file : resolved) {
                assertThat(file.resolution()).as(file.recordedPath()).isEqualTo(Resolution.REMOTE);
                assertThat(file.buildIdMismatch()).as(file.recordedPath()).isFalse();
            }
            assertThat(remote.remoteFiles()).hasSameSizeAs(files.opened());
            assertThat(coreSource.bytesCopied()).isPositive().isLessThan(Files.size(corePath) / 4);
            assertThat(remote.fetchFigures().bytesFetched())
                    .isEqualTo(coreSource.bytesCopied()
                            + files.opened().stream()
                                    .mapToLong(CopyOnEnsureSource::bytesCopied)
                                    .sum());
            // While open, a reader that opens the cache file by path is sent through the source.
            assertThat(FileSources.find(coreSource.localPath())).contains(coreSource);
        }
        assertThat(FileSources.find(coreSource.localPath())).isEmpty();
    }

    @Test
    void aRemoteFileWithAnotherBuildIdIsRefusedAndTheLocalOneUsed() throws Exception {
        Path corePath = Fixtures.get(Fixture.DEMO_PIE).core();
        CopyingFiles wrong = new CopyingFiles(cache, CHUNK, Path.of("/bin/true"));
        try (CoreDump core = CoreDump.open(corePath, CoreOptions.defaults().withRemoteFiles(wrong))) {
            List<ResolvedFile> resolved = core.mappedRegions().stream()
                    .map(MappedRegion::file)
                    .filter(f -> f.elf() && f.coreBuildId().isPresent())
                    .distinct()
                    .toList();
            assertThat(resolved).isNotEmpty();
            for (ResolvedFile file : resolved) {
                assertThat(file.resolution()).as(file.recordedPath()).isEqualTo(Resolution.AS_IS);
            }
            assertThat(core.remoteFiles()).isEmpty();
        }
    }

    @Test
    void aStoreThatFailsIsAnErrorNamingTheLocationNotAMissingFile() throws Exception {
        Path corePath = Fixtures.get(Fixture.DEMO_PIE).core();
        CopyOnEnsureSource coreSource = new CopyOnEnsureSource(corePath, cache, CHUNK);
        coreSource.close(); // every ensure now fails
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> CoreDump.open(coreSource, CoreOptions.defaults()).close())
                .hasMessageContaining("test://" + corePath)
                .hasMessageContaining("closed");
    }

    private static List<String> registers(List<ThreadState> threads) {
        return threads.stream().map(t -> t.tid() + " " + t.registers()).toList();
    }
}
