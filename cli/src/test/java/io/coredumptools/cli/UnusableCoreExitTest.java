package io.coredumptools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreEdits;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, defect 6: cores that {@code info} reads but code cannot run on (no thread, a segment that is not whole
 * pages, an impossible NT_FILE page size) make {@code serve} and {@code call} exit 2 with one line naming the file
 * and the problem, not 1 ("unexpected error").
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class UnusableCoreExitTest {
    private static final CoreFixture DEMO = Fixtures.get(Fixture.DEMO_PIE);

    @TempDir
    Path dir;

    private static void assertUnusableInEveryCommand(Path core, String problem) {
        CliRun info = CliRun.of("info", core.toString());
        assertThat(info.exitCode()).as(info.err()).isIn(0, 2);
        CliRun serve = CliRun.of("serve", "--listen", "127.0.0.1:0", "--once", core.toString());
        CliRun call = CliRun.of("call", core.toString(), "next_id()");
        // serve starts its server while the core loads: it never says it listens on a core it cannot load.
        assertThat(serve.out()).doesNotContain("listening");
        for (CliRun run : new CliRun[] {serve, call}) {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.err()).startsWith("corestub: ").contains(core.toString(), problem);
        }
    }

    @Test
    void everyThreadNoteRetyped() {
        assertUnusableInEveryCommand(CoreEdits.withNotesRetyped(DEMO, dir, 1, 0x7777), "records no thread");
    }

    @Test
    void aFirstSegmentThatIsNotWholePages() {
        assertUnusableInEveryCommand(CoreEdits.withFirstLoadMemorySize(DEMO, dir, 0x1200), "whole 4 KiB pages");
    }

    @Test
    void anImpossibleNtFilePageSize() {
        assertUnusableInEveryCommand(CoreEdits.withNtFilePageSize(DEMO, dir, 0x7fffffffffffffffL), "NT_FILE");
    }
}
