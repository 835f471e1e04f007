package io.coredumptools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code serve}'s per-connection memory limits (issue 11, item 5): the flags reach each session's engine. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServeLimitsTest {

    @Test
    void sizesTakeBinaryUnits() {
        ByteSizeConverter sizes = new ByteSizeConverter();
        assertThat(sizes.convert("4096")).isEqualTo(4096L);
        assertThat(sizes.convert("512K")).isEqualTo(512L << 10);
        assertThat(sizes.convert("64m")).isEqualTo(64L << 20);
        assertThat(sizes.convert("8GB")).isEqualTo(8L << 30);
        for (String bad : new String[] {"", "-1", "1X", "K", "99999999999T"}) {
            CliRun run = CliRun.of("serve", "--max-snapshot-memory", bad, "core");
            assertThat(run.exitCode()).as(bad).isEqualTo(2);
            assertThat(run.err()).as(bad).contains("is not a size");
        }
    }

    @Test
    void aSecondSnapshotBeyondMaxSnapshotsIsRefusedWithAReason() throws Exception {
        String console = monitorOnServe(new String[] {"--max-snapshots", "1"}, "snapshot save a", "snapshot save b");
        assertThat(console).contains("snapshot 'a' saved").doesNotContain("snapshot 'b' saved");
        assertThat(console).contains("cannot save snapshot");
    }

    @Test
    void anAllocationBeyondMaxDebuggerAllocationsIsRefused() throws Exception {
        assertThat(twoAllocations(new String[] {"--max-debugger-allocations", "4K"}))
                .matches("[0-9a-f]+ E.*");
        assertThat(twoAllocations(new String[0])).matches("[0-9a-f]+ [0-9a-f]+");
    }

    /** The replies to two lldb {@code _M} allocations of a page each, separated by a space. */
    private static String twoAllocations(String[] flags) throws Exception {
        return onServe(flags, client -> client.exchange("_M1000,rw") + " " + client.exchange("_M1000,rw"));
    }

    /** Runs {@code serve --once FLAGS core}, sends each monitor command on one connection; their console output. */
    private static String monitorOnServe(String[] flags, String... commands) throws Exception {
        return onServe(flags, client -> {
            StringBuilder console = new StringBuilder();
            for (String command : commands) {
                console.append(client.monitor(command)).append('\n');
            }
            return console.toString();
        });
    }

    interface Session {
        String run(LoopbackRspClient client) throws Exception;
    }

    /** Runs {@code serve --once FLAGS core} and {@code session} on one connection after qSupported. */
    private static String onServe(String[] flags, Session session) throws Exception {
        String core = Fixtures.get(Fixture.DEMO_PIE).core().toString();
        int port = CorruptCoresTest.freePort();
        String[] args = new String[flags.length + 5];
        args[0] = "serve";
        args[1] = "--listen";
        args[2] = "127.0.0.1:" + port;
        args[3] = "--once";
        System.arraycopy(flags, 0, args, 4, flags.length);
        args[args.length - 1] = core;
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            StringWriter err = new StringWriter();
            Future<Integer> exit = executor.submit(
                    () -> Corestub.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
            String result = null;
            while (!exit.isDone()) {
                try (LoopbackRspClient client = LoopbackRspClient.connect(port, Duration.ofSeconds(120))) {
                    client.exchange("qSupported:xmlRegisters=i386");
                    result = session.run(client);
                    break;
                } catch (ConnectException notYet) {
                    Thread.sleep(20);
                }
            }
            assertThat(exit.get(2, TimeUnit.MINUTES)).as(err.toString()).isZero();
            return result;
        } finally {
            executor.shutdownNow();
        }
    }
}
