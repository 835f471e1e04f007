package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, the call model's modes as a user sees them through gdb: {@code monitor restore-mode} with no argument
 * prints the mode and how many calls continued and started from the base, and {@code -v} logs each decision with
 * its reason. (The answers themselves are checked against live gdb in the differential tests.)
 */
class GdbCallScopeTest {

    @Test
    void theModeTheCountsAndEachDecisionWithItsReason() {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        try (CorestubServer server = CorestubServer.serve(f, "-v")) {
            GdbTranscript t = GdbProcess.connectedTo(server)
                    .program(f.program())
                    .directory(f.directory())
                    .run(
                            "print (int)strlen(greet(\"bob\"))",
                            "print next_id()",
                            "monitor restore-mode",
                            "monitor restore-mode per-call",
                            "monitor restore-mode");
            String all = t.describe() + "\n" + server.describe();
            assertThat(t.value(0)).as(all).isEqualTo("11");
            assertThat(t.value(1)).as(all).isEqualTo("43");
            // greet's bracket (decided at its nested malloc) starts from the base; strlen continues it; next_id()'s
            // own inputs point nowhere, but greet returned a pointer into the memory it wrote: it continues too.
            assertThat(t.section(2).strip()).as(all).isEqualTo("restore-mode auto (calls: 2 continued, 1 from base)");
            assertThat(t.section(3).strip()).as(all).isEqualTo("restore-mode per-call");
            assertThat(t.section(4).strip()).as(all).startsWith("restore-mode per-call (calls: ");
            assertThat(server.output())
                    .as(all)
                    .containsPattern("call 2: continues: rdi=0x[0-9a-f]+ points into memory an earlier call wrote")
                    .contains("call 1: from base: no call ran since the last restore");
        }
    }
}
