package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.patches.Patch;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.Gdb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What gdb reads through corestub at the locations the load-time patches changed (GOT slots rewritten to baseline
 * variants, lazy slots bound up front, vDSO code turned into system calls) is what the process had, as gdb on the core
 * file shows it, before and after a call (issue 13 item 2). The session that only read has no engine until the call,
 * and the call gives what it gives on the live process.
 */
class GdbCrashImageTest {
    private static final int SLOTS_PER_KIND = 4;
    private static final Pattern VALUE = Pattern.compile("\\$\\d+ = (.*)");

    @ParameterizedTest
    @EnumSource(
            value = Fixture.class,
            names = {"DEMO_PIE", "DEMO_LAZY"})
    void patchedLocationsReadAsOnTheCoreBeforeAndAfterACall(Fixture fixture) throws Exception {
        CoreFixture f = Fixtures.get(fixture);
        List<String> reads = patchedLocationReads(f);
        String[] onCoreCommands = reads.toArray(String[]::new);
        GdbTranscript onCore = GdbTranscript.onCore(f, onCoreCommands);

        List<String> commands = new ArrayList<>(reads);
        commands.add("bt");
        commands.add("monitor info");
        commands.add("print next_id()");
        commands.add("monitor info");
        commands.addAll(reads);
        commands.add("print 0"); // the last section would hold gdb's detach line
        int info = reads.size() + 1;
        int call = reads.size() + 2;
        int afterCall = reads.size() + 4;
        GdbTranscript t;
        try (CorestubServer server = CorestubServer.serve(f)) {
            t = GdbProcess.connectedTo(server)
                    .program(f.program())
                    .setup("set remotetimeout 60")
                    .run(commands.toArray(String[]::new));
        }
        for (int i = 0; i < reads.size(); i++) {
            String expected = onCore.section(i).strip();
            assertThat(expected).as(onCore.describe()).startsWith("0x");
            assertThat(t.section(i).strip())
                    .as("%s before the call (gdb on the core: %s)%s", reads.get(i), expected, t.describe())
                    .isEqualTo(expected);
            assertThat(t.section(afterCall + i).strip())
                    .as("%s after the call (gdb on the core: %s)%s", reads.get(i), expected, t.describe())
                    .isEqualTo(expected);
        }
        assertThat(t.section(info))
                .as("reads, a backtrace and a monitor command build no engine" + t.describe())
                .contains("engine: none yet");
        assertThat(t.section(call + 1)).as("the call built it" + t.describe()).contains("engine: built");

        String live = Gdb.withTimeout(Duration.ofSeconds(60)).onLiveProcessAtAbort(f.program(), "print next_id()");
        Matcher m = VALUE.matcher(live);
        assertThat(m.find()).as(live).isTrue();
        assertThat(t.value(call))
                .as("next_id() on the live process: " + live + t.describe())
                .isEqualTo(m.group(1));
    }

    /** x/gx of some GOT_SLOT and LAZY_BIND slots, x/8xb of each VDSO_SYSCALL location. */
    private static List<String> patchedLocationReads(CoreFixture f) throws Exception {
        List<Patch> patches;
        try (LoadedCore core = LoadedCore.open(f.core(), EmulatorOptions.defaults())) {
            patches = core.plan().patches();
        }
        List<String> reads = new ArrayList<>();
        int slots = 0;
        for (Patch.Kind kind : List.of(Patch.Kind.GOT_SLOT, Patch.Kind.LAZY_BIND)) {
            patches.stream()
                    .filter(p -> p.kind() == kind)
                    .limit(SLOTS_PER_KIND)
                    .forEach(p -> reads.add("x/gx 0x" + Long.toHexString(p.address())));
        }
        slots = reads.size();
        patches.stream()
                .filter(p -> p.kind() == Patch.Kind.VDSO_SYSCALL)
                .forEach(p -> reads.add("x/8xb 0x" + Long.toHexString(p.address())));
        assertThat(slots)
                .as("GOT or lazy slots patched in " + f.core() + ": " + patches)
                .isPositive();
        assertThat(reads.size() - slots).as("vDSO code patched in " + f.core()).isPositive();
        return reads;
    }
}
