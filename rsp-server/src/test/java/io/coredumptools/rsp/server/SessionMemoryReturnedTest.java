package io.coredumptools.rsp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.rsp.inferior.EmulatedTarget;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.rsp.target.MonitorCommands;
import io.coredumptools.rsp.wire.Hex;
import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.ExternalCommand;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session's memory is returned when it ends (issue 11, defect 5): after gdb sessions that made calls, saved
 * snapshots and inserted a breakpoint and a watchpoint, and lldb-style sessions that allocated with {@code _M},
 * the server holds nothing of them. Counted directly, not by RSS: the unicorn engines open in the process, the
 * mappings of the core and of the program in {@code /proc/self/maps}, and the session and watchdog threads. Each
 * count is the same after one session and after several; while a session is open they are not (so the counts
 * see sessions at all).
 */
class SessionMemoryReturnedTest {
    private static final CallBudget BUDGET = new CallBudget(0, Duration.ofSeconds(30));
    private static final int SESSIONS = 4;
    private static CoreFixture fixture;
    private static LoadedCore core;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        fixture = Fixtures.get(Fixture.DEMO_PIE);
        core = LoadedCore.open(fixture.core(), EmulatorOptions.defaults().withBudget(BUDGET));
    }

    @AfterAll
    static void unload() {
        core.close();
    }

    /** What a finished session must not leave: engines, file mappings, threads. */
    private record Held(int engines, int coreAndProgramMappings, int sessionThreads, int watchdogThreads) {}

    private static Held held() throws IOException {
        String core = fixture.core().toRealPath().toString();
        String program = fixture.program().toRealPath().toString();
        int mappings = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.endsWith(" " + core) || line.endsWith(" " + program)) {
                mappings++;
            }
        }
        int sessions = 0;
        int watchdogs = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("rsp-session-")) {
                sessions++;
            } else if (t.getName().equals("corestub-call-watchdog")) {
                watchdogs++;
            }
        }
        return new Held(Unicorn.openEngines(), mappings, sessions, watchdogs);
    }

    /** The counts once the server has seen the sessions go (it notices a disconnect shortly after). */
    private static Held settled(Held expected) throws Exception {
        Held now = held();
        for (int i = 0; i < 300 && !now.equals(expected); i++) {
            TimeUnit.MILLISECONDS.sleep(100);
            now = held();
        }
        return now;
    }

    private CommandResult gdbSession(int port) {
        List<String> command = new ArrayList<>(List.of("gdb", "-nx", "-batch"));
        for (String c : List.of(
                "set remotetimeout 60",
                "target remote 127.0.0.1:" + port,
                "print next_id()",
                "monitor snapshot save first",
                "print next_id()",
                "monitor snapshot save second",
                "break list_sum",
                "watch -l gp->x",
                "print next_id()",
                "detach")) {
            command.add("-ex");
            command.add(c);
        }
        command.add(fixture.program().toString());
        return ExternalCommand.run(command, dir, Duration.ofMinutes(3));
    }

    /** What lldb does that gdb does not: allocate memory in the inferior with {@code _M}. */
    private static void lldbStyleSession(int port, Supplier<Held> whileOpen, List<Held> seen) throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.ask("qSupported:multiprocess+;swbreak+");
            c.noAcks();
            String allocated = c.ask("_M400000,rw");
            assertThat(allocated).as("a 4 MiB allocation").matches("[0-9a-f]+");
            assertThat(c.ask("_M1000,rwx")).matches("[0-9a-f]+");
            assertThat(c.ask("qRcmd," + Hex.encode("snapshot save lldb".getBytes(StandardCharsets.US_ASCII))))
                    .isNotEmpty()
                    .doesNotStartWith("E");
            assertThat(c.ask("Z0," + allocated + ",1")).isEqualTo("OK");
            assertThat(c.ask("Z2," + allocated + ",8")).isEqualTo("OK");
            seen.add(whileOpen.get());
        }
    }

    @Test
    void nothingOfASessionStaysAfterItEnds() throws Exception {
        RspServer.Options options = RspServer.Options.DEFAULTS.withMonitor(SNAPSHOT_SAVE);
        try (RspServer server = new RspServer(EmulatedTarget.factory(core, BUDGET, true, 4096), false, options)) {
            int port = server.start("127.0.0.1", 0).getPort();
            List<Held> whileOpen = new ArrayList<>();
            Supplier<Held> count = () -> {
                try {
                    return held();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            // The first connection takes over the engine that planned the patches at load, so count from after it.
            Held afterOne = null;
            for (int i = 0; i < SESSIONS; i++) {
                CommandResult gdb = gdbSession(port);
                assertThat(gdb.stdout()).as(gdb.describe()).contains("$1 = ", "$2 = ", "$3 = ", "Hardware watchpoint");
                assertThat(gdb.stdout() + gdb.stderr())
                        .as(gdb.describe())
                        .contains("snapshot first saved", "snapshot second saved");
                lldbStyleSession(port, count, whileOpen);
                if (i == 0) {
                    afterOne = settled(NOTHING);
                }
            }
            Held afterAll = settled(NOTHING);
            System.out.println("session memory: while open " + whileOpen.get(whileOpen.size() - 1) + ", after one "
                    + afterOne + ", after " + SESSIONS + " " + afterAll);

            assertThat(whileOpen)
                    .as("an open session has its engine, which maps the core")
                    .allSatisfy(h -> {
                        assertThat(h.engines()).isPositive();
                        assertThat(h.coreAndProgramMappings()).isPositive();
                    });
            assertThat(afterOne).as("after one gdb and one lldb-style session").isEqualTo(NOTHING);
            assertThat(afterAll).as("after %d of each", SESSIONS).isEqualTo(NOTHING);
        }
    }

    /**
     * The one monitor command used here, on the session's real target (the corestub application's command set
     * lives in the cli module, above this one).
     */
    private static final MonitorCommands SNAPSHOT_SAVE = (line, target) -> {
        String name = line.substring("snapshot save ".length());
        target.saveSnapshot(name);
        return "snapshot " + name + " saved\n";
    };

    /** No engine, no mapping of the core or the program, no session or watchdog thread. */
    private static final Held NOTHING = new Held(0, 0, 0, 0);
}
