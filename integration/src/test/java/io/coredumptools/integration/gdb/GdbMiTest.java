package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Acceptance: gdb/MI (mi3) as an IDE drives it, over corestub. */
class GdbMiTest {

    @Test
    void anIdeConnectsListsFramesAndThreadsAndEvaluatesCalls() {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        GdbTranscript core = GdbTranscript.onCore(f, "bt", "info threads");
        List<String> coreFunctions = GdbOutput.functions(core.section(0));
        List<GdbOutput.ThreadRow> coreThreads = GdbOutput.threads(core.section(1));
        assertThat(coreThreads).hasSize(2);

        try (CorestubServer server = CorestubServer.serve(f);
                MiSession mi = new MiSession(f.program(), f.directory(), Duration.ofSeconds(60))) {
            String context = "\n" + server.describe();
            assertThat(mi.send("-gdb-set pagination off").isDone())
                    .as(mi.transcript())
                    .isTrue();
            assertThat(mi.send("-gdb-set confirm off").isDone())
                    .as(mi.transcript())
                    .isTrue();

            MiSession.Reply connect = mi.send("-target-select remote " + server.address());
            assertThat(connect.result()).as(mi.transcript() + context).startsWith("^connected");
            assertThat(connect.records())
                    .as("stopped at the crash" + mi.transcript())
                    .anySatisfy(r -> assertThat(r).startsWith("*stopped"));

            MiSession.Reply frames = mi.send("-stack-list-frames");
            assertThat(frames.result()).as(mi.transcript()).startsWith("^done,stack=[");
            assertThat(frames.fields("func"))
                    .as("frames as on the core" + mi.transcript() + context)
                    .containsExactlyElementsOf(coreFunctions);
            assertThat(frames.fields("level")).hasSize(coreFunctions.size());

            for (int i = 0; i < 2; i++) {
                MiSession.Reply call = mi.send("-data-evaluate-expression \"next_id()\"");
                assertThat(call.result()).as(mi.transcript() + context).isEqualTo("^done,value=\"43\"");
            }
            MiSession.Reply greet = mi.send("-data-evaluate-expression \"greet(\\\"bob\\\")\"");
            assertThat(greet.result()).as(mi.transcript() + context).startsWith("^done,value=");
            assertThat(GdbOutput.quotedString(greet.field("value"))).isEqualTo("hello, bob!");

            MiSession.Reply threads = mi.send("-thread-info");
            assertThat(threads.result()).as(mi.transcript()).startsWith("^done,threads=[");
            assertThat(threads.fields("id")).as(mi.transcript()).containsExactly("1", "2");
            List<String> targetIds = threads.fields("target-id");
            assertThat(targetIds).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(targetIds.get(i))
                        .as(mi.transcript())
                        .containsPattern("[ .(]" + coreThreads.get(i).lwp() + "\\)?$");
            }
            assertThat(threads.field("current-thread-id")).isEqualTo("1");

            MiSession.Reply framesAfter = mi.send("-stack-list-frames");
            assertThat(framesAfter.fields("func"))
                    .as("calls left the stack as it was" + mi.transcript())
                    .containsExactlyElementsOf(coreFunctions);

            MiSession.Reply exit = mi.send("-gdb-exit");
            assertThat(exit.result()).isEqualTo("^exit");
        }
    }
}
