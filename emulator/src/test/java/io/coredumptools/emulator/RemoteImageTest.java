package io.coredumptools.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.elfcore.source.CopyOnEnsureSource;
import io.coredumptools.elfcore.source.CopyingFiles;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls on a core whose bytes, and whose libraries' bytes, appear only once ensured (as with a core in S3): the
 * answers are the local ones, so the image mapped no hole as zeros, and only a part of the core was fetched, so
 * the image stayed lazy.
 */
class RemoteImageTest {
    private static final long CHUNK = 64 * 1024;

    @TempDir
    Path cache;

    /** Made per test: the temporary directory is injected after construction. */
    private CopyingFiles copying;

    private CopyingFiles copying() {
        copying = new CopyingFiles(cache, CHUNK, null);
        return copying;
    }

    private static long string(Emulator emu, String text) {
        return emu.reserve(text.length() + 1).writeCString(text);
    }

    @Test
    void callsOnARemoteCoreAnswerAsOnTheLocalOneAndFetchAPartOfIt() throws Exception {
        Path corePath = Fixtures.get(Fixture.DEMO_PIE).core();
        EmulatorOptions options = EmulatorOptions.defaults().withBudget(TestEmulators.GENEROUS);
        String localGreeting;
        int localId;
        try (Emulator local = Emulator.open(corePath, options)) {
            localGreeting = local.readCString(
                    local.call("greet", Argument.of(string(local, "bob"))).rax(), 100);
            localId = local.call("next_id").asInt();
        }
        CopyOnEnsureSource coreSource = new CopyOnEnsureSource(corePath, cache, CHUNK);
        try (CoreDump core = CoreDump.open(coreSource, options.core().withRemoteFiles(copying()))) {
            assertThat(copying.opened()).isNotEmpty();
            for (int round = 0; round < 2; round++) { // the second after a restore: blocks stay mapped
                try (Emulator remote = Emulator.openShared(core, null, options.withCore(core.options()))) {
                    long greeting = remote.call("greet", Argument.of(string(remote, "bob")))
                            .rax();
                    assertThat(remote.readCString(greeting, 100))
                            .isEqualTo(localGreeting)
                            .isEqualTo("hello, bob!");
                    assertThat(remote.call("next_id").asInt()).isEqualTo(localId);
                }
            }
            assertThat(coreSource.bytesCopied()).isPositive().isLessThan(Files.size(corePath) / 2);
            long libraryBytes = copying.opened().stream()
                    .mapToLong(CopyOnEnsureSource::size)
                    .sum();
            long libraryCopied = copying.opened().stream()
                    .mapToLong(CopyOnEnsureSource::bytesCopied)
                    .sum();
            assertThat(libraryCopied).isPositive().isLessThan(libraryBytes);
        }
    }

    @Test
    void aBlockThatCannotBeFetchedIsAClearFaultNotZeros() throws Exception {
        Path corePath = Fixtures.get(Fixture.DEMO_PIE).core();
        EmulatorOptions options = EmulatorOptions.defaults().withBudget(TestEmulators.GENEROUS);
        CopyOnEnsureSource coreSource = new CopyOnEnsureSource(corePath, cache, CHUNK);
        try (CoreDump core = CoreDump.open(coreSource, options.core().withRemoteFiles(copying()));
                Emulator remote = Emulator.openShared(core, null, options.withCore(core.options()))) {
            // The lowest page of the core's largest segment (a thread's stack): nothing touched it yet.
            LoadSegment largest = core.segments().stream()
                    .filter(s -> s.fileSize() > 4 * CHUNK)
                    .max(java.util.Comparator.comparingLong(LoadSegment::fileSize))
                    .orElseThrow();
            coreSource.close(); // the store is gone: blocks not fetched yet cannot be
            assertThatThrownBy(() -> remote.read(largest.vaddr(), 8))
                    .hasMessageContaining("test://" + corePath)
                    .hasMessageContaining("closed");
        }
    }
}
