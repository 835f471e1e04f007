package io.coredumptools.rsp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.rsp.inferior.EmulatedTarget;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.rsp.request.Feature;
import io.coredumptools.rsp.target.ExecutionTarget;
import io.coredumptools.rsp.target.MonitorCommands;
import io.coredumptools.rsp.target.StopEvent;
import io.coredumptools.rsp.target.Target;
import io.coredumptools.rsp.target.TargetFactory;
import io.coredumptools.rsp.wire.Hex;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What one connection can make the server hold or wait for is bounded, and no connection's work stalls
 * another's (issue 11): resends, connections, breakpoints, console output, idle connections, and the first reply
 * before any engine exists.
 */
class RspServerLimitsTest {
    private static final CallBudget BUDGET = new CallBudget(0, Duration.ofSeconds(20));
    private static LoadedCore core;

    @BeforeAll
    static void load() throws Exception {
        core = LoadedCore.open(
                Fixtures.get(Fixture.DEMO_PIE).core(),
                EmulatorOptions.defaults().withBudget(BUDGET));
    }

    @AfterAll
    static void unload() {
        core.close();
    }

    /** Counts the targets made, so a test can tell whether a reply needed one. */
    private static final class CountingFactory implements TargetFactory {
        final TargetFactory real = EmulatedTarget.factory(core, BUDGET, true, 8);
        final AtomicInteger made = new AtomicInteger();

        @Override
        public Target create() {
            made.incrementAndGet();
            return real.create();
        }

        @Override
        public Set<Feature> features() {
            return real.features();
        }
    }

    private static RspServer start(TargetFactory targets, RspServer.Options options) {
        return new RspServer(targets, false, options);
    }

    @Test
    void theFirstReplyNeedsNoEngine() throws Exception {
        CountingFactory targets = new CountingFactory();
        try (RspServer server = start(targets, RspServer.Options.DEFAULTS)) {
            int port = server.start("127.0.0.1", 0).getPort();
            try (RawClient c = new RawClient(port)) {
                assertThat(c.ask("qSupported:multiprocess+;swbreak+")).contains("PacketSize=20000");
                c.noAcks();
                assertThat(c.ask("vMustReplyEmpty")).isEmpty();
                assertThat(targets.made.get())
                        .as("engines made before the first packets that need one")
                        .isZero();
                assertThat(c.ask("qC")).startsWith("QC");
                assertThat(targets.made.get()).isEqualTo(1);
            }
        }
    }

    /** issue 11, item 3: each '-' used to queue another copy of a 128 KiB reply (5,000 of them: 640 MiB). */
    @Test
    void aFloodOfNaksAfterABigReadResendsABoundedAmount() throws Exception {
        try (RspServer server = start(new CountingFactory(), RspServer.Options.DEFAULTS)) {
            int port = server.start("127.0.0.1", 0).getPort();
            try (RawClient c = new RawClient(port)) {
                String stop = c.ask("?");
                long sp = Long.reverseBytes(
                        Long.parseUnsignedLong(stop.substring(stop.indexOf("07:") + 3, stop.indexOf("07:") + 19), 16));
                c.send("m" + Long.toHexString(sp & ~0xfffL) + ",10000");
                assertThat(c.in.read()).isEqualTo('+');
                // 5,000 naks while not reading: the frame is ~64 KiB of hex, sent again at most once at a time.
                c.out.write("-".repeat(5000).getBytes(StandardCharsets.US_ASCII));
                c.out.flush();
                c.socket.setSoTimeout(3_000);
                long received = drain(c.in);
                long frame = 2 * 0xffe0L + 4;
                assertThat(received)
                        .as("bytes sent for one read and 5,000 naks")
                        .isGreaterThanOrEqualTo(frame)
                        // Before, every nak queued a copy (5,000 copies, 640 MiB) and all were sent. Now a nak
                        // resends only when the last resend has left: what the socket buffers and the client's
                        // reading let through meanwhile, never a copy per nak.
                        .isLessThan(2500 * frame);
            }
            try (RawClient other = new RawClient(port)) {
                assertThat(other.ask("qC")).as("the server still answers").startsWith("QC");
            }
        }
    }

    /** Reads until nothing comes for the socket's timeout; returns how many bytes came. */
    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        while (true) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    return total;
                }
                total += n;
            } catch (SocketTimeoutException e) {
                return total;
            }
        }
    }

    /** issue 11, item 4: work on one connection (here a monitor command that waits) never delays another. */
    @Test
    void otherConnectionsAreAnsweredWhileOneIsBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        MonitorCommands waiting = (line, target) -> {
            busy.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "done\n";
        };
        try (RspServer server = start(new CountingFactory(), RspServer.Options.DEFAULTS.withMonitor(waiting))) {
            int port = server.start("127.0.0.1", 0).getPort();
            try (RawClient first = new RawClient(port)) {
                first.noAcks();
                first.send("qRcmd," + Hex.ascii("wait"));
                assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();
                // More connections than the old two shared I/O threads: some would have shared the busy one.
                List<RawClient> others = new ArrayList<>();
                try {
                    for (int i = 0; i < 4; i++) {
                        RawClient other = new RawClient(port);
                        others.add(other);
                        assertThat(other.ask("qSupported")).contains("PacketSize");
                        assertThat(other.ask("qC")).startsWith("QC");
                        assertThat(other.ask("g")).hasSize(1632);
                    }
                    assertThat(first.in.available())
                            .as("the first is still busy")
                            .isZero();
                } finally {
                    for (RawClient other : others) {
                        other.close();
                    }
                }
                release.countDown();
                assertThat(first.read()).startsWith("O");
                assertThat(first.read()).isEqualTo("OK");
            }
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedWithAReason() throws Exception {
        try (RspServer server = start(new CountingFactory(), RspServer.Options.DEFAULTS.withMaxConnections(2))) {
            int port = server.start("127.0.0.1", 0).getPort();
            try (RawClient a = new RawClient(port);
                    RawClient b = new RawClient(port)) {
                assertThat(a.ask("qC")).startsWith("QC");
                assertThat(b.ask("qC")).startsWith("QC");
                try (RawClient c = new RawClient(port)) {
                    assertThat(c.ask("qSupported"))
                            .isEqualTo("E.corestub: too many connections: this server takes 2 at once "
                                    + "(serve --max-connections)");
                    assertThat(c.in.read()).as("then closed").isEqualTo(-1);
                }
            }
            // Both gone: a new connection is admitted once the server has seen them go.
            String reply = "";
            for (int attempt = 0; attempt < 100 && !reply.startsWith("QC"); attempt++) {
                try (RawClient d = new RawClient(port)) {
                    reply = d.ask("qC");
                }
                if (!reply.startsWith("QC")) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            }
            assertThat(reply).startsWith("QC");
        }
    }

    @Test
    void breakpointsBeyondTheLimitAreRefusedWithAReason() throws Exception {
        try (RspServer server = start(new CountingFactory(), RspServer.Options.DEFAULTS)) {
            int port = server.start("127.0.0.1", 0).getPort();
            try (RawClient c = new RawClient(port)) {
                c.noAcks();
                for (int i = 0; i < 8; i++) {
                    assertThat(c.ask("Z0," + Integer.toHexString(0x1000 + i) + ",1"))
                            .isEqualTo("OK");
                }
                assertThat(c.ask("Z2,2000,4")).startsWith("E.").contains("8", "--max-breakpoints");
                assertThat(c.ask("z0,1000,1")).isEqualTo("OK");
                assertThat(c.ask("Z2,2000,4")).isEqualTo("OK");
            }
        }
    }

    /** issue 11, item 3: a call that writes a lot reaches the console capped at 1 MiB, then one note. */
    @Test
    void consoleOutputOfOneCallIsCapped() throws Exception {
        byte[] output = new byte[3 << 20];
        java.util.Arrays.fill(output, (byte) 'x');
        TargetFactory noisy = new TargetFactory() {
            final TargetFactory real = EmulatedTarget.factory(core, BUDGET, true, 8);

            @Override
            public Target create() {
                return new NoisyTarget(real.create(), output);
            }

            @Override
            public Set<Feature> features() {
                return real.features();
            }
        };
        try (RspServer server = start(noisy, RspServer.Options.DEFAULTS)) {
            int port = server.start("127.0.0.1", 0).getPort();
            try (RawClient c = new RawClient(port)) {
                c.noAcks();
                c.send("vCont;s");
                long shown = 0;
                String note = "";
                String reply;
                while ((reply = c.read()).startsWith("O")) {
                    String text = new String(Hex.decode(reply.substring(1)), StandardCharsets.UTF_8);
                    if (text.startsWith("corestub: ")) {
                        note = text;
                    } else {
                        shown += text.length();
                    }
                }
                assertThat(shown).isEqualTo(Session.CONSOLE_CAP);
                assertThat(note).contains((output.length - Session.CONSOLE_CAP) + " more bytes of output were dropped");
                assertThat(reply).startsWith("T05");
            }
        }
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (RspServer server =
                start(new CountingFactory(), RspServer.Options.DEFAULTS.withIdleTimeout(Duration.ofMillis(500)))) {
            int port = server.start("127.0.0.1", 0).getPort();
            try (RawClient c = new RawClient(port)) {
                assertThat(c.ask("qC")).startsWith("QC");
                assertThat(c.in.read())
                        .as("closed by the server after the idle timeout")
                        .isEqualTo(-1);
            }
        }
    }

    /** A real target whose resumes report a lot of output. */
    private static final class NoisyTarget implements Target {
        private final Target real;
        private final byte[] output;

        NoisyTarget(Target real, byte[] output) {
            this.real = real;
            this.output = output;
        }

        @Override
        public io.coredumptools.rsp.target.ThreadsTarget threads() {
            return real.threads();
        }

        @Override
        public io.coredumptools.rsp.target.RegistersTarget registers() {
            return real.registers();
        }

        @Override
        public io.coredumptools.rsp.target.MemoryTarget memory() {
            return real.memory();
        }

        @Override
        public ExecutionTarget execution() {
            ExecutionTarget e = real.execution();
            return new ExecutionTarget() {
                @Override
                public int threadToRun(int stepThread, int namedContinueThread, int hcThread) {
                    return e.threadToRun(stepThread, namedContinueThread, hcThread);
                }

                @Override
                public StopEvent resume(int thread, boolean step) {
                    StopEvent stop = e.resume(thread, step);
                    return new StopEvent(
                            stop.thread(), stop.signal(), stop.reason(), stop.dataAddress(), output, stop.message());
                }

                @Override
                public StopEvent lastStop() {
                    return e.lastStop();
                }

                @Override
                public void interrupt() {
                    e.interrupt();
                }

                @Override
                public void clearInterrupt() {
                    e.clearInterrupt();
                }

                @Override
                public boolean running() {
                    return e.running();
                }

                @Override
                public void kill() {
                    e.kill();
                }
            };
        }

        @Override
        public java.util.Optional<io.coredumptools.rsp.target.SiginfoTarget> siginfo() {
            return real.siginfo();
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
