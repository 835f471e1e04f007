package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.Gdb;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Acceptance, calls: {@code print CALL} through corestub on the core answers what gdb answers for the same call
 * on the live program stopped at the same abort, except that the core is restored between calls (next_id gives
 * the live first value every time).
 */
class GdbCallsTest {
    private static final List<String> CALLS = List.of(
            "print next_id()",
            "print next_id()",
            "print greet(\"bob\")",
            "print scale(1.5, 3)",
            "print point_sum(gp)",
            "print sum8(1,2,3,4,5,6,7,8)",
            "print strlen(\"hello\")",
            "print (unsigned long)strlen(\"hello\")",
            "print (int)strcmp(\"a\",\"b\")");
    private static final int NEXT_ID = 0,
            NEXT_ID_AGAIN = 1,
            GREET = 2,
            SCALE = 3,
            POINT_SUM = 4,
            SUM8 = 5,
            STRLEN = 6,
            STRLEN_CAST = 7,
            STRCMP = 8,
            PUTS = 9;

    @ParameterizedTest
    @EnumSource(names = {"DEMO_PIE", "DEMO_NO_PIE", "DEMO_STATIC", "DEMO_GCORE"})
    void callsAnswerWhatTheLiveProcessAnswers(Fixture fixture) {
        CoreFixture f = Fixtures.get(fixture);
        CommandResult liveRun = Gdb.defaults()
                .runOnLiveProcessAtAbort(f.program(), GdbTranscript.withMarkers(CALLS.toArray(String[]::new)));
        assertThat(liveRun.stdout()).as(liveRun.describe()).contains("received signal SIGABRT");
        GdbTranscript live = GdbTranscript.of(liveRun.stdout());
        List<String> remoteCommands = new java.util.ArrayList<>(CALLS);
        remoteCommands.add("call (void)puts(\"hi\")");
        GdbTranscript remote;
        try (CorestubServer server = CorestubServer.serve(f)) {
            remote = GdbProcess.connectedTo(server)
                    .program(f.program())
                    .directory(f.directory())
                    .run(remoteCommands.toArray(String[]::new));
        }
        String both = "\n=== gdb on the live process:\n" + liveRun.describe() + "\n=== gdb through corestub:\n"
                + remote.describe();

        // The live process keeps its side effects; the core is restored: 43 both times.
        assertThat(live.value(NEXT_ID)).isEqualTo("43");
        assertThat(live.value(NEXT_ID_AGAIN)).isEqualTo("44");
        assertThat(remote.value(NEXT_ID)).as("next_id()" + both).isEqualTo(live.value(NEXT_ID));
        assertThat(remote.value(NEXT_ID_AGAIN)).as("next_id() again" + both).isEqualTo(live.value(NEXT_ID));

        assertThat(GdbOutput.quotedString(live.value(GREET))).isEqualTo("hello, bob!");
        assertThat(GdbOutput.quotedString(remote.value(GREET)))
                .as("greet" + both)
                .isEqualTo(GdbOutput.quotedString(live.value(GREET)));

        assertThat(live.value(SCALE)).isEqualTo("4.5");
        assertThat(live.value(POINT_SUM)).isEqualTo("7");
        assertThat(live.value(SUM8)).isEqualTo("204");
        assertThat(live.value(STRLEN_CAST)).isEqualTo("5");
        for (int call : new int[] {SCALE, POINT_SUM, SUM8, STRLEN_CAST, STRCMP}) {
            assertThat(remote.value(call)).as(CALLS.get(call) + both).isEqualTo(live.value(call));
        }
        assertThat(Integer.parseInt(live.value(STRCMP))).isNegative();

        // A plain strlen("hello"): 5 where gdb knows strlen's type (libc with debug info); in the static
        // build gdb resolves the IFUNC and knows no return type: then the same refusal on both.
        if (!live.hasValue(STRLEN)) {
            assertThat(liveRun.stderr()).contains("has unknown return type");
            assertThat(remote.section(STRLEN)).as("strlen" + both).contains("has unknown return type");
        } else {
            assertThat(live.value(STRLEN)).isEqualTo("5");
            assertThat(remote.value(STRLEN)).as("strlen" + both).isEqualTo("5");
        }

        // The emulated write to fd 1 reaches gdb's console (O packets).
        assertThat(remote.section(PUTS).lines())
                .as("puts(\"hi\") shown by gdb" + both)
                .contains("hi");
    }
}
