package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: two gdb clients attached to one server at the same time are isolated sessions. Client A keeps
 * its call's side effect ({@code monitor restore-mode session}) and then waits, still connected, until client
 * B has connected, read and called; B sees the crash image.
 */
class GdbTwoClientsTest {

    @TempDir
    Path dir;

    @Test
    void aCallWithSideEffectsInOneClientIsInvisibleToAnotherConnectedAtTheSameTime() throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        assertThat(GdbTranscript.onCore(f, "print counter").value(0)).isEqualTo("42");
        Path flag = dir.resolve("b-done");
        try (CorestubServer server = CorestubServer.serve(f);
                GdbProcess a = GdbProcess.connectedTo(server)
                        .program(f.program())
                        .directory(f.directory())
                        .start(
                                "monitor restore-mode session",
                                "print next_id()",
                                "print counter",
                                "shell i=0; while [ ! -e '" + flag
                                        + "' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done",
                                "print counter",
                                "print next_id()")) {
            a.awaitCommandStart(3, Duration.ofSeconds(60));

            GdbTranscript b = GdbProcess.connectedTo(server)
                    .program(f.program())
                    .directory(f.directory())
                    .run("print counter", "print next_id()", "print next_id()");
            assertThat(a.isAlive())
                    .as("client A was still connected while B ran\n" + a.describe())
                    .isTrue();
            Files.createFile(flag);
            GdbTranscript at = a.awaitExit(Duration.ofSeconds(60));
            String both =
                    "\n=== client A:\n" + at.describe() + "\n=== client B:\n" + b.describe() + "\n" + server.describe();

            assertThat(at.section(0))
                    .as("monitor restore-mode session" + both)
                    .doesNotContainIgnoringCase("not support")
                    .doesNotContainIgnoringCase("unknown")
                    .doesNotContainIgnoringCase("error");
            assertThat(at.value(1)).as(both).isEqualTo("43");
            assertThat(at.value(2)).as("A keeps its side effect" + both).isEqualTo("43");

            assertThat(b.value(0))
                    .as("B sees the crash image, not A's change" + both)
                    .isEqualTo("42");
            assertThat(b.value(1)).as(both).isEqualTo("43");
            assertThat(b.value(2))
                    .as("B is restored between its calls (per-call default)" + both)
                    .isEqualTo("43");

            assertThat(at.value(4))
                    .as("A's session memory after B's calls" + both)
                    .isEqualTo("43");
            assertThat(at.value(5))
                    .as("A's second call builds on its first" + both)
                    .isEqualTo("44");
        }
    }
}
