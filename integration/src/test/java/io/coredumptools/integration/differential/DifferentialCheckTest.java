package io.coredumptools.integration.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.integration.gdb.GdbTranscript;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison machinery itself: it fails in both directions, and normalises only what must differ. */
class DifferentialCheckTest {
    private static final GdbScript SCRIPT = new GdbScript("s", List.of(), List.of("p f()", "p g()", "p f()"));

    private static GdbTranscript transcript(String... sections) {
        StringBuilder text = new StringBuilder("preamble\n");
        for (int i = 0; i < sections.length; i++) {
            text.append(GdbTranscript.marker(i))
                    .append('\n')
                    .append(sections[i])
                    .append('\n');
        }
        return GdbTranscript.of(text.toString());
    }

    @Test
    void aMismatchThatIsNotListedFails() {
        DifferentialCheck check = new DifferentialCheck("t", "kernel", KnownMismatches.none(), List.of())
                .compare(SCRIPT, transcript("$1 = 1", "$2 = 2", "$3 = 1"), transcript("$1 = 1", "$2 = 3", "$3 = 1"));
        assertThatThrownBy(check::verify)
                .hasMessageContaining("NEW MISMATCH s: p g()")
                .hasMessageContaining(".on(\"kernel\", \"s: p g()\"");
    }

    @Test
    void aListedMismatchThatNowAgreesFails() {
        KnownMismatches known = KnownMismatches.none().on("kernel", "s: p f() [2]", "a reason");
        DifferentialCheck check = new DifferentialCheck("t", "kernel", known, List.of())
                .compare(SCRIPT, transcript("$1 = 1", "$2 = 2", "$3 = 1"), transcript("$1 = 1", "$2 = 2", "$3 = 1"));
        assertThatThrownBy(check::verify)
                .hasMessageContaining("NOW EQUAL (remove it from the known mismatches): s: p f() [2]");
    }

    @Test
    void exactlyTheListedMismatchesPassAndOtherCoresAreNotAffected() {
        KnownMismatches known = KnownMismatches.none().on("gcore", "s: p g()", "a reason");
        GdbTranscript live = transcript("$1 = 1", "$2 = 2", "$3 = 1");
        GdbTranscript remote = transcript("$1 = 1", "$2 = 3", "$3 = 1");
        new DifferentialCheck("t", "gcore", known, List.of())
                .compare(SCRIPT, live, remote)
                .verify();
        assertThatThrownBy(() -> new DifferentialCheck("t", "kernel", known, List.of())
                        .compare(SCRIPT, live, remote)
                        .verify())
                .hasMessageContaining("NEW MISMATCH s: p g()");
    }

    @Test
    void normalisesHistoryBreakpointAndThreadNumbersButNotValues() {
        TranscriptNormaliser live = new TranscriptNormaliser();
        TranscriptNormaliser remote = new TranscriptNormaliser();
        assertThat(live.normalise("Breakpoint 3: file a.c, line 9.\r\n"))
                .isEqualTo(remote.normalise("Breakpoint 1: file a.c, line 9."));
        assertThat(live.normalise("Breakpoint 3, add (a=4) at a.c:9\nValue returned is $7 = 9  "))
                .isEqualTo(remote.normalise("Breakpoint 1, add (a=4) at a.c:9\nValue returned is $2 = 9"));
        assertThat(live.normalise("[Switching to thread 2 (Thread 0x7ffff7d8a6c0 (LWP 12))]"))
                .isEqualTo(
                        remote.normalise("[Switching to thread 2 (Thread 40.41)]\n[Inferior 1 (process 40) detached]"));
        assertThat(live.normalise("$1 = 0x5555 \"abc\"")).isNotEqualTo(remote.normalise("$1 = 0x5556 \"abc\""));
        assertThat(live.normalise("Breakpoint 4: file a.c, line 10."))
                .isNotEqualTo(remote.normalise("Breakpoint 1: file a.c, line 10."));
    }
}
