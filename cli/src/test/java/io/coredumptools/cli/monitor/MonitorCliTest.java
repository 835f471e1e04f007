package io.coredumptools.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.emulator.scope.RestoreMode;
import io.coredumptools.rsp.inferior.EmulatedTarget;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.rsp.target.MonitorTarget;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The picocli monitor commands on a real session target over the demo core. */
class MonitorCliTest {
    private static LoadedCore core;
    private static EmulatedTarget emulated;
    private static MonitorTarget target;
    private final MonitorCli monitor = new MonitorCli();

    @BeforeAll
    static void open() throws Exception {
        CallBudget budget = new CallBudget(0, Duration.ofSeconds(10));
        core = LoadedCore.open(
                Fixtures.get(Fixture.DEMO_PIE).core(),
                EmulatorOptions.defaults().withBudget(budget));
        emulated = new EmulatedTarget(core, budget, true, 100);
        target = emulated.monitor().orElseThrow();
    }

    @AfterAll
    static void close() {
        emulated.close();
        core.close();
    }

    @Test
    void helpIsGeneratedFromTheCommands() {
        String help = monitor.execute("help", target);
        assertThat(help)
                .startsWith("corestub monitor commands")
                .contains("info", "snapshot", "restore-mode", "budget", "trace", "patches", "lock-bypass", "allocate");
        assertThat(monitor.execute("", target)).isEqualTo(help);
        assertThat(monitor.execute("help snapshot", target)).contains("save", "restore", "list", "delete");
    }

    @Test
    void infoNamesTheCoreAndItsThreads() {
        assertThat(monitor.execute("info", target))
                .contains("SIGABRT", "thread 1: LWP", "thread 2: LWP", "restore-mode ", "continued, ");
    }

    @Test
    void settingsAreChangedAndReported() {
        assertThat(monitor.execute("budget 1234", target)).isEqualTo("budget 1234 ms\n");
        assertThat(target.budget()).isEqualTo(Duration.ofMillis(1234));
        assertThat(monitor.execute("budget", target)).isEqualTo("budget 1234 ms\n");
        assertThat(monitor.execute("budget 0", target)).isEqualTo("corestub: budget must be positive\n");
        assertThat(monitor.execute("budget soon", target))
                .startsWith("corestub: ")
                .contains("soon");
        assertThat(monitor.execute("restore-mode session", target)).isEqualTo("restore-mode session\n");
        assertThat(target.restoreMode()).isEqualTo(RestoreMode.SESSION);
        assertThat(monitor.execute("restore-mode sometimes", target))
                .isEqualTo("corestub: restore-mode is one of auto, per-call, session, manual\n");
        assertThat(monitor.execute("restore-mode per-call", target)).isEqualTo("restore-mode per-call\n");
        assertThat(monitor.execute("restore-mode", target))
                .isEqualTo("restore-mode per-call (calls: 0 continued, 0 from base)\n");
        assertThat(monitor.execute("allocate off", target)).isEqualTo("allocate off\n");
        assertThat(target.allocationAllowed()).isFalse();
        assertThat(monitor.execute("allocate", target)).isEqualTo("allocate off\n");
        assertThat(monitor.execute("allocate on", target)).isEqualTo("allocate on\n");
        assertThat(monitor.execute("lock-bypass maybe", target))
                .startsWith("corestub: ")
                .contains("maybe");
        assertThat(monitor.execute("trace", target)).isEqualTo("trace is off (monitor trace on)\n");
    }

    @Test
    void snapshotsAreSavedListedRestoredAndDeleted() {
        assertThat(monitor.execute("snapshot list", target)).isEqualTo("no snapshots\n");
        assertThat(monitor.execute("snapshot save one", target)).isEqualTo("snapshot 'one' saved\n");
        assertThat(monitor.execute("snapshot", target)).isEqualTo("one\n");
        assertThat(monitor.execute("snapshot restore one", target)).isEqualTo("memory restored to snapshot 'one'\n");
        assertThat(monitor.execute("snapshot restore two", target))
                .isEqualTo("corestub: no snapshot 'two' (monitor snapshot list)\n");
        assertThat(monitor.execute("snapshot restore", target)).isEqualTo("memory restored to the crash image\n");
        assertThat(monitor.execute("snapshot save", target))
                .startsWith("corestub: ")
                .contains("NAME");
        assertThat(monitor.execute("snapshot delete one", target)).isEqualTo("snapshot 'one' deleted\n");
        assertThat(monitor.execute("snapshot delete one", target)).isEqualTo("no snapshot 'one'\n");
    }

    @Test
    void anUnknownCommandSaysSo() {
        assertThat(monitor.execute("frobnicate now", target))
                .isEqualTo("corestub: unknown monitor command 'frobnicate' (try: monitor help)\n");
    }
}
