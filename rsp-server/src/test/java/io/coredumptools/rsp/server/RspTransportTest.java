package io.coredumptools.rsp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.rsp.inferior.EmulatedTarget;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The server on either transport: Netty's native epoll where it loads, NIO where it does not (or with
 * {@code -Dio.netty.transport.noNative=true}). Both answer a session byte for byte alike: replies written on the
 * connection's loop, a stop reply written from the session thread after a step, a reply larger than a socket
 * buffer, and a second connection after the first has gone; a refused client reads why, then the end of the
 * stream (not a reset).
 */
class RspTransportTest {
    private static final CallBudget BUDGET = new CallBudget(0, Duration.ofSeconds(20));
    private static final int REFUSALS = 50;
    private static LoadedCore core;

    @BeforeAll
    static void open() throws Exception {
        core = LoadedCore.open(
                Fixtures.get(Fixture.DEMO_PIE).core(),
                EmulatorOptions.defaults().withBudget(BUDGET));
    }

    @AfterAll
    static void close() {
        core.close();
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void epollIsChosenOnLinuxX8664() {
        assertThat(Transport.best())
                .as("netty-transport-native-epoll's linux-x86_64 library is a runtime dependency of rsp-server")
                .isEqualTo(Transport.EPOLL);
    }

    @Test
    void bothTransportsAnswerASessionAlike() throws Exception {
        List<String> epoll = session(Transport.EPOLL);
        List<String> nio = session(Transport.NIO);
        assertThat(epoll).hasSize(nio.size());
        assertThat(epoll).isEqualTo(nio);
    }

    @Test
    void aRefusedClientReadsTheReasonThenTheEndOfTheStream() throws Exception {
        for (Transport transport : Transport.values()) {
            try (RspServer server = new RspServer(
                    EmulatedTarget.factory(core, BUDGET, true, 8),
                    false,
                    RspServer.Options.DEFAULTS.withMaxConnections(1),
                    transport)) {
                int port = server.start("127.0.0.1", 0).getPort();
                try (RawClient admitted = new RawClient(port)) {
                    assertThat(admitted.ask("qC")).startsWith("QC");
                    int reset = 0;
                    for (int i = 0; i < REFUSALS; i++) {
                        try (RawClient refused = new RawClient(port)) {
                            // ask() acks the reply, as gdb does: that byte reaches a server that is closing.
                            assertThat(refused.ask("qSupported")).startsWith("E.corestub: too many connections");
                            assertThat(refused.in.read()).isEqualTo(-1);
                        } catch (java.net.SocketException e) {
                            reset++;
                        }
                    }
                    assertThat(reset)
                            .as(transport + ": refused connections that ended in a reset, not the end of the stream")
                            .isZero();
                }
            }
        }
    }

    /** Every reply of two connections, one after the other, to a server on {@code transport}. */
    private static List<String> session(Transport transport) throws Exception {
        List<String> replies = new ArrayList<>();
        try (RspServer server = new RspServer(
                EmulatedTarget.factory(core, BUDGET, true, 8), false, RspServer.Options.DEFAULTS, transport)) {
            int port = server.start("127.0.0.1", 0).getPort();
            for (int connection = 0; connection < 2; connection++) {
                try (RawClient c = new RawClient(port)) {
                    replies.add(c.ask("qSupported:multiprocess+;swbreak+;hwbreak+"));
                    c.noAcks();
                    replies.add(c.ask("?"));
                    String registers = c.ask("g");
                    replies.add(registers);
                    long rip = Long.reverseBytes(Long.parseUnsignedLong(registers.substring(16 * 16, 17 * 16), 16));
                    String region = c.ask("qMemoryRegionInfo:" + Long.toHexString(rip));
                    String start = region.replaceAll(".*start:([0-9a-f]+);.*", "$1");
                    // 128 KiB of hex (libc's text, where the abort stopped): more than one socket write, on the loop.
                    replies.add(c.ask("m" + start + ",10000"));
                    // The stop reply comes from the session thread, which ran the step.
                    c.send("vCont;s");
                    String stop;
                    while ((stop = c.read()).startsWith("O")) {
                        replies.add(stop);
                    }
                    replies.add(stop);
                    replies.add(c.ask("g"));
                }
            }
        }
        assertThat(replies.get(1)).as("the stop at the crash").startsWith("T");
        assertThat(replies.get(3)).as("64 KiB of libc's text").hasSize(0x20000);
        return replies;
    }
}
