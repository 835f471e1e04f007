package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.Gdb;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Acceptance: what happens around a call — a fault in the called function, a breakpoint in it, a call from
 * another thread, Ctrl-C of a call that never returns. One server for the class (each gdb connection is its
 * own session, starting at the crash image).
 */
class GdbCallControlTest {
    private static final String SIGNALED =
            "The program being debugged was signaled while in a function called from GDB.";
    private static final String DUMMY = "<function called from gdb>";

    private static CoreFixture pie;
    private static CorestubServer server;
    /** gdb's backtrace of the crashing thread on the core file itself. */
    private static List<String> coreFrames;

    @BeforeAll
    static void serve() {
        pie = Fixtures.get(Fixture.DEMO_PIE);
        coreFrames = GdbOutput.frames(GdbTranscript.onCore(pie, "bt").section(0));
        assertThat(coreFrames).hasSizeGreaterThanOrEqualTo(4);
        server = CorestubServer.serve(pie);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static GdbProcess.Builder gdb(CorestubServer s, CoreFixture f) {
        return GdbProcess.connectedTo(s).program(f.program()).directory(f.directory());
    }

    private static String describe(GdbTranscript t) {
        return "\n" + t.describe() + "\n" + server.describe();
    }

    /** Frames without their numbers: "#2  f (...)" and "#0  f (...)" compare equal. */
    private static List<String> unnumbered(List<String> frames) {
        return frames.stream().map(f -> f.replaceFirst("^#\\d+\\s+", "")).toList();
    }

    @Test
    void faultInACalledFunctionStopsThereWithSigsegvAndReturnPopsIt() {
        GdbTranscript t = gdb(server, pie)
                .run(
                        "print point_sum(0)",
                        "p $_siginfo.si_signo",
                        "p $_siginfo._sifields._sigfault.si_addr",
                        "bt",
                        "return",
                        "bt 1",
                        "print next_id()");
        assertThat(t.section(0))
                .as(describe(t))
                .contains("received signal SIGSEGV")
                .containsPattern("point_sum \\(p=0x0\\) at .*demo\\.c:\\d+")
                .contains(SIGNALED);
        assertThat(t.value(1)).as(describe(t)).isEqualTo("11");
        assertThat(t.value(2)).as(describe(t)).isEqualTo("(void *) 0x0");
        List<String> frames = GdbOutput.frames(t.section(3));
        assertThat(GdbOutput.functions(t.section(3))).as(describe(t)).startsWith("point_sum", DUMMY);
        assertThat(unnumbered(frames.subList(2, frames.size())))
                .as("the frames below the call" + describe(t))
                .containsExactlyElementsOf(unnumbered(coreFrames));
        assertThat(GdbOutput.frames(t.section(5)))
                .as("after return" + describe(t))
                .containsExactly(coreFrames.get(0));
        assertThat(t.value(6)).as(describe(t)).isEqualTo("43");
    }

    @Test
    void withUnwindOnSignalGdbRestoresTheContextAndTheNextCallWorks() {
        GdbTranscript t = gdb(server, pie).run("set unwindonsignal on", "print point_sum(0)", "bt", "print next_id()");
        assertThat(t.section(1))
                .as(describe(t))
                .contains("received signal SIGSEGV")
                .contains("GDB has restored the context to what it was before the call.");
        assertThat(GdbOutput.frames(t.section(2))).as(describe(t)).containsExactlyElementsOf(coreFrames);
        assertThat(t.value(3)).as(describe(t)).isEqualTo("43");
    }

    @Test
    void breakpointInACalledFunctionStopsThereAndNextAndFinishWork() {
        String[] commands = {
            "break point_sum",
            "print point_sum(gp)",
            "bt 2",
            "finish",
            "bt 1",
            "print next_id()",
            "delete",
            "break greet",
            "print greet(\"bob\")",
            "next",
            "next",
            "finish",
            "bt 1"
        };
        String gp = GdbTranscript.onCore(pie, "print gp").value(0).replace("(struct point *) ", "");
        assertThat(gp).matches("0x[0-9a-f]+");
        CommandResult liveRun =
                Gdb.defaults().runOnLiveProcessAtAbort(pie.program(), GdbTranscript.withMarkers(commands));
        GdbTranscript live = GdbTranscript.of(liveRun.stdout());
        GdbTranscript t = gdb(server, pie).run(commands);
        String both = describe(t) + "\n=== gdb on the live process:\n" + liveRun.describe();

        Pattern hitPointSum = Pattern.compile("Breakpoint 1, point_sum \\(p=(0x[0-9a-f]+)\\) at .*demo\\.c:(\\d+)");
        Matcher liveHit = hitPointSum.matcher(live.section(1));
        assertThat(liveHit.find()).as(both).isTrue();
        Matcher hit = hitPointSum.matcher(t.section(1));
        assertThat(hit.find()).as("stops at the breakpoint in point_sum" + both).isTrue();
        assertThat(hit.group(1)).as("p is the core's gp" + both).isEqualTo(gp);
        assertThat(hit.group(2)).as("line" + both).isEqualTo(liveHit.group(2));
        assertThat(t.section(1))
                .as(both)
                .contains("The program being debugged stopped while in a function called from GDB.");
        assertThat(GdbOutput.functions(t.section(2))).as(both).containsExactly("point_sum", DUMMY);
        assertThat(live.section(3)).containsPattern("Value returned is \\$\\d+ = 7");
        assertThat(t.section(3)).as("finish" + both).containsPattern("Value returned is \\$\\d+ = 7");
        assertThat(GdbOutput.frames(t.section(4)))
                .as("back at the crash" + both)
                .containsExactly(coreFrames.get(0));
        assertThat(t.value(5)).as(both).isEqualTo("43");

        Pattern hitGreet = Pattern.compile("Breakpoint 2, greet \\(name=0x[0-9a-f]+ \"bob\"\\) at .*demo\\.c:(\\d+)");
        Matcher liveGreet = hitGreet.matcher(live.section(8));
        assertThat(liveGreet.find()).as(both).isTrue();
        Matcher greet = hitGreet.matcher(t.section(8));
        assertThat(greet.find()).as("stops at the breakpoint in greet" + both).isTrue();
        assertThat(greet.group(1)).as(both).isEqualTo(liveGreet.group(1));
        for (int next : new int[] {9, 10}) {
            List<String> liveLines = sourceLines(live.section(next));
            assertThat(liveLines).hasSize(1);
            assertThat(sourceLines(t.section(next))).as("next" + both).containsExactlyElementsOf(liveLines);
        }
        Pattern returned = Pattern.compile("Value returned is \\$\\d+ = 0x[0-9a-f]+ \"hello, bob!\"");
        assertThat(live.section(11)).containsPattern(returned);
        assertThat(t.section(11)).as("finish from greet" + both).containsPattern(returned);
        assertThat(GdbOutput.frames(t.section(12))).as(both).containsExactly(coreFrames.get(0));
    }

    private static List<String> sourceLines(String section) {
        return section.lines().filter(l -> l.matches("\\d+\t.*")).toList();
    }

    @ParameterizedTest
    @EnumSource(names = {"DEMO_PIE", "DEMO_STATIC"})
    void callsFromThreadTwoUseItsTlsWithoutSchedulerLocking(Fixture fixture) {
        CoreFixture f = Fixtures.get(fixture);
        String[] commands = {
            "show scheduler-locking",
            "thread 2",
            "print get_tls()",
            "thread 1",
            "print get_tls()",
            "thread 2",
            "print next_id()",
            "print get_tls()"
        };
        GdbTranscript t;
        if (fixture == Fixture.DEMO_PIE) {
            t = gdb(server, f).run(commands);
        } else {
            try (CorestubServer own = CorestubServer.serve(f)) {
                t = gdb(own, f).run(commands);
            }
        }
        assertThat(t.section(0)).as(describe(t)).doesNotContain("\"on\"");
        assertThat(t.section(1)).as(describe(t)).contains("Switching to thread 2");
        assertThat(t.value(2)).as("get_tls() in thread 2" + describe(t)).isEqualTo("2222");
        assertThat(t.value(4)).as("get_tls() in thread 1" + describe(t)).isEqualTo("1111");
        assertThat(t.value(6)).as("next_id() in thread 2" + describe(t)).isEqualTo("43");
        assertThat(t.value(7)).as("get_tls() in thread 2 again" + describe(t)).isEqualTo("2222");
    }

    @Test
    void ctrlCStopsACallThatNeverReturnsAndGdbStaysUsable() throws Exception {
        try (GdbProcess gdb =
                gdb(server, pie).start("monitor budget 60000", "print spin_forever()", "bt 2", "print next_id()")) {
            gdb.awaitCommandStart(1, Duration.ofSeconds(60));
            // Longer than the server's default budget (~1 s): only the raised budget keeps it running now.
            TimeUnit.MILLISECONDS.sleep(1_500);
            assertThat(gdb.text())
                    .as("spin_forever() still runs\n" + gdb.describe())
                    .doesNotContain("SIGINT");
            assertThat(gdb.isAlive()).isTrue();
            long sent = System.nanoTime();
            gdb.interrupt();
            // Well within the raised 60 s budget: only the ^C can stop it before then.
            GdbProcess.Line stop = gdb.awaitLine(
                    l -> l.contains("received signal SIGINT"), Duration.ofSeconds(40), "reporting SIGINT");
            assertThat(stop.nanos()).as("the stop came after the ^C").isGreaterThan(sent);

            GdbTranscript t = gdb.awaitExit(Duration.ofSeconds(60));
            assertThat(t.section(0))
                    .as("monitor budget" + describe(t))
                    .doesNotContainIgnoringCase("not support")
                    .doesNotContainIgnoringCase("unknown")
                    .doesNotContainIgnoringCase("error");
            assertThat(t.section(1))
                    .as(describe(t))
                    .contains(SIGNALED)
                    .containsPattern("spin_forever \\(\\) at ")
                    .as("stopped by the ^C, not by the budget" + describe(t))
                    .doesNotContain("budget");
            assertThat(GdbOutput.functions(t.section(2))).as(describe(t)).containsExactly("spin_forever", DUMMY);
            assertThat(t.value(3))
                    .as("a call after the interrupt" + describe(t))
                    .isEqualTo("43");
        }
    }
}
