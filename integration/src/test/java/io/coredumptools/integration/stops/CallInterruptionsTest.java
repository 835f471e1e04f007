package io.coredumptools.integration.stops;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbOutput;
import io.coredumptools.integration.gdb.GdbProcess;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, acceptance: a call stopped by the instruction budget ({@code monitor budget}) or by Ctrl-C stops at an
 * instruction of the running function (stops.c's spin_counting, several instructions per iteration): {@code rip} is
 * one of the instructions gdb disassembles on the core file, {@code x/i $pc} shows that instruction, {@code bt}
 * shows the function above the dummy frame, each {@code stepi} moves to the next instruction of the loop, and the
 * next call works.
 */
class CallInterruptionsTest {
    private static final String DUMMY = "<function called from gdb>";
    private static final Pattern DISASSEMBLY_LINE =
            Pattern.compile("^\\s*(?:=> )?0x([0-9a-f]+) <\\+\\d+>:\\s+(.*?)\\s*$", Pattern.MULTILINE);
    private static final Pattern RIP = Pattern.compile("^rip\\s+0x([0-9a-f]+)\\s+0x[0-9a-f]+ <spin_counting\\+\\d+>");
    private static final Pattern X_I = Pattern.compile("^=> 0x([0-9a-f]+) <spin_counting\\+\\d+>:\\s+(.*?)\\s*$");
    private static final Pattern JUMP_TARGET = Pattern.compile("^j\\w+\\s+0x([0-9a-f]+)\\b");
    private static final int STEPS = 4;

    private static CoreFixture stops;
    private static CorestubServer server;
    /** spin_counting's instructions on the core: address to instruction text, in address order. */
    private static Map<Long, String> instructions;

    @BeforeAll
    static void serve() {
        stops = Fixtures.get(Fixture.STOPS);
        String disassembly = stops.gdb("disassemble spin_counting");
        instructions = new LinkedHashMap<>();
        Matcher m = DISASSEMBLY_LINE.matcher(disassembly);
        while (m.find()) {
            instructions.put(Long.parseUnsignedLong(m.group(1), 16), m.group(2).replaceAll("\\s+", " "));
        }
        assertThat(instructions).as(disassembly).hasSizeGreaterThan(5);
        server = CorestubServer.serve(stops);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The commands after the stop: where it is, the backtrace, a few stepi, then another call. */
    private static List<String> inspection() {
        List<String> commands = new ArrayList<>(List.of("info registers rip", "x/i $pc", "bt"));
        for (int i = 0; i < STEPS; i++) {
            commands.add("stepi");
            commands.add("info registers rip");
        }
        commands.add("print next_id()");
        return commands;
    }

    @Test
    void theBudgetStopsAtAnInstructionOfTheRunningFunction() {
        List<String> commands = new ArrayList<>(List.of("monitor budget 300", "print spin_counting()"));
        commands.addAll(inspection());
        GdbTranscript t = GdbProcess.connectedTo(server)
                .program(stops.program())
                .directory(stops.directory())
                .setup("set remotetimeout 60")
                .timeout(StopSessions.TIMEOUT)
                .run(commands.toArray(String[]::new));
        assertThat(t.section(1))
                .as(describe(t))
                .contains("received signal SIGINT")
                .containsPattern("corestub: .*budget")
                .as("the budget stop says how long the call ran (300 ms or more), not 0 ms" + describe(t))
                .doesNotContainPattern("ran for [0-9]{1,2} ms");
        checkStoppedInTheLoop(t, 2);
    }

    @Test
    void ctrlCStopsAtAnInstructionOfTheRunningFunction() throws Exception {
        List<String> commands = new ArrayList<>(List.of("monitor budget 600000", "print spin_counting()"));
        commands.addAll(inspection());
        try (GdbProcess gdb = GdbProcess.connectedTo(server)
                .program(stops.program())
                .directory(stops.directory())
                .setup("set remotetimeout 60")
                .timeout(StopSessions.TIMEOUT)
                .start(commands.toArray(String[]::new))) {
            gdb.awaitCommandStart(1, Duration.ofSeconds(60));
            // Not an assertion's margin: only so the ^C comes while the call runs, not while gdb sets it up.
            TimeUnit.MILLISECONDS.sleep(500);
            gdb.interrupt();
            gdb.awaitLine(l -> l.contains("received signal SIGINT"), Duration.ofSeconds(120), "reporting SIGINT");
            GdbTranscript t = gdb.awaitExit(StopSessions.TIMEOUT);
            assertThat(t.section(1)).as(describe(t)).doesNotContain("budget");
            checkStoppedInTheLoop(t, 2);
        }
    }

    private static void checkStoppedInTheLoop(GdbTranscript t, int first) {
        assertThat(t.section(first - 1))
                .as(describe(t))
                .contains("The program being debugged was signaled while in a function called from GDB.")
                .containsPattern("spin_counting \\(\\) at .*stops\\.c:\\d+");
        long pc = rip(t, first);
        Matcher xi = X_I.matcher(t.section(first + 1).strip());
        assertThat(xi.matches()).as("x/i $pc" + describe(t)).isTrue();
        assertThat(Long.parseUnsignedLong(xi.group(1), 16)).as(describe(t)).isEqualTo(pc);
        assertThat(xi.group(2).replaceAll("\\s+", " ")).as(describe(t)).isEqualTo(instructions.get(pc));
        assertThat(GdbOutput.functions(t.section(first + 2)))
                .as("bt" + describe(t))
                .startsWith("spin_counting", DUMMY);
        for (int step = 0; step < STEPS; step++) {
            long next = rip(t, first + 4 + 2 * step);
            assertThat(next)
                    .as("stepi " + (step + 1) + " from 0x" + Long.toHexString(pc) + describe(t))
                    .isIn(successors(pc));
            pc = next;
        }
        assertThat(t.value(first + 3 + 2 * STEPS))
                .as("a call after the stop" + describe(t))
                .isEqualTo("42");
    }

    /** The pc of an {@code info registers rip} section, which must be one of spin_counting's instructions. */
    private static long rip(GdbTranscript t, int section) {
        Matcher m = RIP.matcher(t.section(section).strip());
        assertThat(m.find()).as("rip in spin_counting" + describe(t)).isTrue();
        long pc = Long.parseUnsignedLong(m.group(1), 16);
        assertThat(instructions)
                .as("rip 0x" + Long.toHexString(pc) + " is an instruction" + describe(t))
                .containsKey(pc);
        return pc;
    }

    /** Where one instruction at {@code pc} can go: the next instruction, or its jump's target. */
    private static List<Long> successors(long pc) {
        List<Long> addresses = new ArrayList<>(instructions.keySet());
        List<Long> next = new ArrayList<>();
        int index = addresses.indexOf(pc);
        if (index + 1 < addresses.size()) {
            next.add(addresses.get(index + 1));
        }
        Matcher jump = JUMP_TARGET.matcher(instructions.get(pc));
        if (jump.find()) {
            next.add(Long.parseUnsignedLong(jump.group(1), 16));
        }
        return next;
    }

    private static String describe(GdbTranscript t) {
        return "\nspin_counting: " + instructions + "\n" + t.describe() + "\n" + server.describe();
    }
}
