package io.coredumptools.rsp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RspCodecTest {
    private WireState state;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        state = new WireState();
        channel = new EmbeddedChannel(new RspFrameDecoder(state, 0x20000), new RspFrameEncoder(state));
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static String frame(String payload) {
        int sum = 0;
        for (byte b : payload.getBytes(StandardCharsets.ISO_8859_1)) {
            sum += b & 0xff;
        }
        return "$" + payload + "#" + String.format("%02x", sum & 0xff);
    }

    private String written() {
        StringBuilder s = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            s.append(out.toString(StandardCharsets.ISO_8859_1));
            out.release();
        }
        return s.toString();
    }

    @Test
    void aGoodPacketIsAckedAndDecoded() {
        channel.writeInbound(bytes(frame("qSupported:multiprocess+")));
        Packet p = channel.readInbound();
        assertThat(p.text()).isEqualTo("qSupported:multiprocess+");
        assertThat(written()).isEqualTo("+");
    }

    @Test
    void aBadChecksumIsNakedAndDropped() {
        channel.writeInbound(bytes("$g#00"));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(written()).isEqualTo("-");
        // the resend is taken
        channel.writeInbound(bytes(frame("g")));
        assertThat(((Packet) channel.readInbound()).text()).isEqualTo("g");
    }

    @Test
    void withoutAcksNothingIsWrittenBack() {
        state.disableAcks();
        channel.writeInbound(bytes("$g#00" + frame("m0,4")));
        assertThat(((Packet) channel.readInbound()).text()).isEqualTo("m0,4");
        assertThat(written()).isEmpty();
    }

    @Test
    void packetsSplitAcrossReadsAndSeveralInOneRead() {
        String two = frame("g") + frame("?");
        channel.writeInbound(bytes(two.substring(0, 3)));
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(bytes(two.substring(3)));
        assertThat(((Packet) channel.readInbound()).text()).isEqualTo("g");
        assertThat(((Packet) channel.readInbound()).text()).isEqualTo("?");
    }

    @Test
    void escapesAreResolvedInBinaryData() {
        // X packet with bytes 0x23 ('#'), 0x7d ('}'), 0x24 ('$'), 0x2a ('*') escaped as }x^0x20
        String payload = "X1000,4:}\u0003}]}\u0004}\n";
        channel.writeInbound(bytes(frame(payload)));
        Packet p = channel.readInbound();
        assertThat(p.payload()).endsWith(new byte[] {'#', '}', '$', '*'});
    }

    @Test
    void theInterruptByteIsDeliveredAnywhereBetweenPackets() {
        state.disableAcks();
        channel.writeInbound(bytes("\u0003" + frame("g") + "\u0003"));
        assertThat((Object) channel.readInbound()).isEqualTo(Interrupt.INSTANCE);
        assertThat(((Packet) channel.readInbound()).text()).isEqualTo("g");
        assertThat((Object) channel.readInbound()).isEqualTo(Interrupt.INSTANCE);
    }

    @Test
    void garbageAndAcksBetweenPacketsAreSkipped() {
        channel.writeInbound(bytes("++xyz\r\n" + frame("k")));
        assertThat(((Packet) channel.readInbound()).text()).isEqualTo("k");
    }

    @Test
    void repliesAreFramedWithEscapesAndChecksum() {
        channel.writeOutbound(new Packet(new byte[] {'O', 'K', '#', '$', '}', '*'}));
        String out = written();
        assertThat(out).startsWith("$OK}\u0003}\u0004}]}\n#");
        int sum = 0;
        String body = out.substring(1, out.indexOf('#', 1 + 2 + 2 + 2 + 2 + 2));
        for (char c : body.toCharArray()) {
            sum += c;
        }
        assertThat(out).endsWith(String.format("%02x", sum & 0xff));
    }

    @Test
    void aNakResendsTheLastReplyWhileAcksAreOn() {
        channel.writeOutbound(Packet.of("OK"));
        assertThat(written()).isEqualTo("$OK#9a");
        channel.writeInbound(bytes("-"));
        assertThat(written()).isEqualTo("$OK#9a");
    }

    @Test
    void anOverlongPacketIsDroppedWithoutKillingTheChannel() {
        EmbeddedChannel small = new EmbeddedChannel(new RspFrameDecoder(state, 8), new RspFrameEncoder(state));
        small.writeInbound(bytes("$" + "a".repeat(64)));
        assertThat((Object) small.readInbound()).isNull();
        small.writeInbound(bytes(frame("g")));
        assertThat(((Packet) small.readInbound()).text()).isEqualTo("g");
        assertThat(small.isActive()).isTrue();
    }
}
