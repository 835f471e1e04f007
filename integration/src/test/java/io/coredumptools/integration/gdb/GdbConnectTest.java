package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The start of a real gdb's connection, as gdb logs it ({@code set debug remote 1}): each handshake packet is
 * sent once and acked, vMustReplyEmpty gets the empty reply, and gdb reaches the stop. The remote timeout is
 * generous (the test checks the exchange, not the machine's speed); the server's own rule (the ack is flushed
 * before the request is handled, retransmissions are dropped) is pinned by RspConnectTest at the socket level.
 */
class GdbConnectTest {

    @Test
    void theHandshakeIsOneExchangePerPacket() {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        GdbTranscript t;
        try (CorestubServer server = CorestubServer.serve(f)) {
            t = GdbProcess.connectedTo(server)
                    .program(f.program())
                    .setup("set debug remote 1")
                    .run("set debug remote 0", "info program");
        }
        String text = t.text();
        assertThat(count(text, "Sending packet: $qSupported:"))
                .as("qSupported sent once (no retransmission)" + t.describe())
                .isEqualTo(1);
        assertThat(count(text, "Sending packet: $vMustReplyEmpty"))
                .as("vMustReplyEmpty sent once" + t.describe())
                .isEqualTo(1);
        assertThat(text)
                .as(t.describe())
                .doesNotContain("Remote replied unexpectedly")
                .doesNotContain("Timed out")
                .doesNotContain("Packet instead of Ack")
                .contains("Packet received: OK"); // QStartNoAckMode's OK
        assertThat(t.section(1)).as(t.describe()).contains("SIGABRT");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
