package io.coredumptools.rsp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.patches.Patch;
import io.coredumptools.rsp.inferior.EmulatedTarget;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.rsp.target.MonitorCommands;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session answers a debugger's reads from the shared crash image until something needs an engine (issue 13): the
 * replies to every read packet are byte-identical from a session that has no engine and from one that built it, and
 * reading never builds one. The load-time patches are where the two would differ: the engine holds them, the crash
 * image does not, and a debugger must see the crash image's bytes (as gdb on the core does).
 */
class ReadsWithoutAnEngineTest {
    private static final CallBudget BUDGET = new CallBudget(0, Duration.ofSeconds(10));
    private static final int PAGE = 4096;

    /** {@code monitor snapshot save NAME} builds the engine without changing memory or registers. */
    private static final MonitorCommands SNAPSHOT = (line, target) -> {
        if (line.startsWith("snapshot save ")) {
            target.saveSnapshot(line.substring("snapshot save ".length()));
            return "saved\n";
        }
        return target.info();
    };

    @Test
    void aKernelCore() throws Exception {
        sameRepliesWithAndWithoutAnEngine(Fixtures.get(Fixture.DEMO_PIE).core(), true);
    }

    @Test
    void aGcoreCore() throws Exception {
        sameRepliesWithAndWithoutAnEngine(Fixtures.get(Fixture.DEMO_GCORE).core(), false);
    }

    @Test
    void aTruncatedCore(@TempDir Path directory) throws Exception {
        CoreFixture fixture = Fixtures.get(Fixture.DEMO_PIE);
        Path copy = fixture.copyOfCore(directory);
        long cut;
        try (LoadedCore whole = LoadedCore.open(copy, EmulatorOptions.defaults())) {
            LoadSegment last = whole.core().segments().stream()
                    .filter(s -> s.fileSize() >= 4 * PAGE && s.permissions().equals("rw-"))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            cut = last.offset() + PAGE + 0x234;
        }
        try (RandomAccessFile file = new RandomAccessFile(copy.toFile(), "rw")) {
            file.setLength(cut);
        }
        List<String> replies = sameRepliesWithAndWithoutAnEngine(copy, false);
        assertThat(replies).as("the cut-off memory is an error in both").contains("E0e");
    }

    private static List<String> sameRepliesWithAndWithoutAnEngine(Path corePath, boolean expectPatches)
            throws Exception {
        try (LoadedCore core =
                        LoadedCore.open(corePath, EmulatorOptions.defaults().withBudget(BUDGET));
                RspServer server = new RspServer(
                        EmulatedTarget.factory(core, BUDGET, true, 100),
                        false,
                        RspServer.Options.DEFAULTS.withMonitor(SNAPSHOT))) {
            int port = server.start("127.0.0.1", 0).getPort();
            List<String> packets = readPackets(core);
            if (expectPatches) {
                assertThat(core.plan().patches())
                        .as("the core has load-time patches")
                        .isNotEmpty();
            }
            try (RawClient withoutEngine = new RawClient(port);
                    RawClient withEngine = new RawClient(port)) {
                for (RawClient client : List.of(withoutEngine, withEngine)) {
                    client.socket.setTcpNoDelay(true);
                    client.noAcks();
                }
                List<String> before = ask(withoutEngine, packets);
                assertThat(core.enginesMade()).as("reads build no engine").isZero();
                assertThat(monitor(withEngine, "snapshot save probe")).isEqualTo("saved\n");
                assertThat(core.enginesMade()).isEqualTo(1);
                List<String> after = ask(withEngine, packets);
                for (int i = 0; i < packets.size(); i++) {
                    assertThat(after.get(i))
                            .as("%s with an engine", packets.get(i))
                            .isEqualTo(before.get(i));
                }
                assertThat(ask(withoutEngine, packets))
                        .as("the first session still has no engine")
                        .isEqualTo(before);
                assertThat(core.enginesMade()).isEqualTo(1);
                assertThat(monitor(withoutEngine, "info")).contains("engine: none yet");
                assertThat(monitor(withEngine, "info")).contains("engine: built");
                return before;
            }
        }
    }

    /** Registers, threads, documents and memory: the first and last pages of every range, every patched location. */
    private static List<String> readPackets(LoadedCore core) {
        List<String> packets = new ArrayList<>(List.of(
                "qfThreadInfo",
                "qsThreadInfo",
                "qC",
                "g",
                "qXfer:features:read:target.xml:0,fff",
                "qXfer:auxv:read::0,fff",
                "qXfer:libraries-svr4:read::0,fff",
                "qXfer:memory-map:read::0,fff",
                "qXfer:threads:read::0,fff",
                "qXfer:exec-file:read::0,fff",
                "qXfer:siginfo:read::0,ff",
                "qXfer:siginfo:read::0,ff"));
        for (int register = 0; register < 64; register += 3) {
            packets.add("p" + Integer.toHexString(register));
        }
        List<Long> pages = new ArrayList<>();
        for (LoadSegment s : core.core().segments()) {
            pages.add(s.vaddr());
            pages.add(s.end() - PAGE);
        }
        for (FileMapping m : core.core().fileMappings()) {
            pages.add(m.start());
            pages.add(m.end() - PAGE);
        }
        for (long page : pages) {
            packets.add("m" + Long.toHexString(page) + ",800");
            packets.add("m" + Long.toHexString(page + 0x800) + ",800");
            packets.add("x" + Long.toHexString(page - 0x10) + ",1000");
        }
        for (Patch patch : core.plan().patches()) {
            packets.add("m" + Long.toHexString(patch.address()) + "," + Integer.toHexString(patch.length()));
            packets.add("m" + Long.toHexString(patch.address() - 5) + ",20");
            packets.add("x" + Long.toHexString(patch.address() - 3) + ",20");
        }
        return packets;
    }

    /** A monitor command's console text. */
    private static String monitor(RawClient client, String line) throws Exception {
        StringBuilder console = new StringBuilder();
        String reply = client.ask("qRcmd," + HexFormat.of().formatHex(line.getBytes(StandardCharsets.UTF_8)));
        while (reply.startsWith("O") && !reply.equals("OK")) {
            console.append(new String(HexFormat.of().parseHex(reply.substring(1)), StandardCharsets.UTF_8));
            reply = client.read();
        }
        assertThat(reply).isEqualTo("OK");
        return console.toString();
    }

    private static List<String> ask(RawClient client, List<String> packets) throws Exception {
        List<String> replies = new ArrayList<>();
        for (String packet : packets) {
            replies.add(client.ask(packet));
        }
        return replies;
    }
}
