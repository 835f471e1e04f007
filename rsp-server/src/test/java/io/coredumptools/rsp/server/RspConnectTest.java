package io.coredumptools.rsp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.rsp.inferior.EmulatedTarget;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The start of a connection as gdb makes it while acks are on: gdb retransmits a packet whose ack is late (2 s,
 * its remotetimeout), and every copy must not get a reply of its own, or gdb takes the second copy's reply for
 * its next packet's ("Remote replied unexpectedly to 'vMustReplyEmpty'").
 */
class RspConnectTest {
    private static final CallBudget BUDGET = new CallBudget(0, Duration.ofSeconds(20));
    private static LoadedCore core;
    private static RspServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        core = LoadedCore.open(
                Fixtures.get(Fixture.DEMO_PIE).core(),
                EmulatorOptions.defaults().withBudget(BUDGET));
        server = new RspServer(EmulatedTarget.factory(core, BUDGET, true, 8), false, RspServer.Options.DEFAULTS);
        port = server.start("127.0.0.1", 0).getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
        core.close();
    }

    @Test
    void aRetransmittedQSupportedGetsTwoAcksAndOneReply() throws Exception {
        try (RawClient c = new RawClient(port)) {
            // Both copies in one write: the second arrives before the first is answered, as a retransmission does
            // when the server is slow.
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(RawClient.frame("qSupported:multiprocess+;swbreak+"));
            both.write(RawClient.frame("qSupported:multiprocess+;swbreak+"));
            c.out.write(both.toByteArray());
            c.out.flush();
            int[] acks = new int[1];
            assertThat(replyCountingAcks(c, acks)).contains("PacketSize=");
            c.out.write('+');
            c.send("vMustReplyEmpty");
            assertThat(replyCountingAcks(c, acks))
                    .as("the next reply is vMustReplyEmpty's, not a second qSupported reply")
                    .isEmpty();
            c.out.write('+');
            assertThat(acks[0]).as("both copies acked, and vMustReplyEmpty").isEqualTo(3);
            assertThat(c.ask("qSupported:multiprocess+;swbreak+"))
                    .as("the same packet once answered is a new request")
                    .contains("PacketSize=");
        }
    }

    /** The next reply's payload (no escapes expected), counting the acks that come before it. */
    private static String replyCountingAcks(RawClient c, int[] acks) throws java.io.IOException {
        int ch;
        while ((ch = c.in.read()) != '$') {
            assertThat(ch).as("the connection closed").isNotEqualTo(-1);
            if (ch == '+') {
                acks[0]++;
            }
        }
        StringBuilder payload = new StringBuilder();
        while ((ch = c.in.read()) != '#') {
            assertThat(ch).isNotEqualTo(-1);
            payload.append((char) ch);
        }
        c.in.readNBytes(2);
        return payload.toString();
    }

    @Test
    void aRetransmissionAfterNoAckModeIsAnsweredAgain() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.noAcks();
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(RawClient.frame("qC"));
            both.write(RawClient.frame("qC"));
            c.out.write(both.toByteArray());
            c.out.flush();
            assertThat(c.read()).startsWith("QC");
            assertThat(c.read()).as("without acks a client never retransmits").startsWith("QC");
        }
    }
}
