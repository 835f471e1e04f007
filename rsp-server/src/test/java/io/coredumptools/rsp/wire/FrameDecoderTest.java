package io.coredumptools.rsp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(0x20000));

    static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    static String frame(String payload) {
        int sum = 0;
        for (byte b : payload.getBytes(StandardCharsets.ISO_8859_1)) {
            sum += b & 0xff;
        }
        return "$" + payload + "#" + String.format("%02x", sum & 0xff);
    }

    private static List<Object> frames(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o instanceof Packet p ? p.text() : o);
        }
        return out;
    }

    @Test
    void aGoodPacketIsDecodedAndNothingIsWrittenBack() {
        channel.writeInbound(bytes(frame("qSupported:multiprocess+")));
        assertThat(frames(channel)).containsExactly("qSupported:multiprocess+");
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void aBadChecksumIsAFrameOfItsOwn() {
        channel.writeInbound(bytes("$g#00$g#zz" + frame("g")));
        assertThat(frames(channel)).containsExactly(ControlFrame.BAD_CHECKSUM, ControlFrame.BAD_CHECKSUM, "g");
    }

    @Test
    void packetsSplitAcrossReadsAndSeveralInOneRead() {
        String two = frame("g") + frame("?");
        channel.writeInbound(bytes(two.substring(0, 3)));
        assertThat(frames(channel)).isEmpty();
        channel.writeInbound(bytes(two.substring(3, two.length() - 1)));
        assertThat(frames(channel)).containsExactly("g");
        channel.writeInbound(bytes(two.substring(two.length() - 1)));
        assertThat(frames(channel)).containsExactly("?");
    }

    @Test
    void escapesAreResolvedInBinaryData() {
        // bytes 0x23 ('#'), 0x7d ('}'), 0x24 ('$'), 0x2a ('*') escaped as }x^0x20
        channel.writeInbound(bytes(frame("X1000,4:}\u0003}]}\u0004}\n")));
        Packet p = channel.readInbound();
        assertThat(p.payload()).endsWith(new byte[] {'#', '}', '$', '*'});
    }

    @Test
    void controlBytesOutsidePacketsAreFramesAndGarbageIsSkipped() {
        channel.writeInbound(bytes("\u0003xyz\r\n+" + frame("g") + "-\u0003"));
        assertThat(frames(channel))
                .containsExactly(
                        ControlFrame.INTERRUPT, ControlFrame.ACK, "g", ControlFrame.NAK, ControlFrame.INTERRUPT);
    }

    @Test
    void anOverlongPacketIsDiscardedToItsEndAndNoByteInsideItCounts() {
        EmbeddedChannel small = new EmbeddedChannel(new FrameDecoder(8));
        // inside: the interrupt byte and '-', which must not count; it arrives in pieces
        small.writeInbound(bytes("$" + "a".repeat(20)));
        small.writeInbound(bytes("\u0003--" + "b".repeat(20)));
        assertThat(frames(small)).isEmpty();
        small.writeInbound(bytes("#1"));
        assertThat(frames(small)).isEmpty();
        small.writeInbound(bytes("2" + frame("g")));
        assertThat(frames(small)).containsExactly(ControlFrame.OVERLONG, "g");
        // whole in one read, too
        small.writeInbound(bytes("$" + "c".repeat(30) + "\u0003-#00" + frame("?")));
        assertThat(frames(small)).containsExactly(ControlFrame.OVERLONG, "?");
        assertThat(small.isActive()).isTrue();
    }

    @Test
    void aPacketOfExactlyTheLimitIsKept() {
        EmbeddedChannel small = new EmbeddedChannel(new FrameDecoder(8));
        small.writeInbound(bytes(frame("12345678") + frame("123456789")));
        assertThat(frames(small)).containsExactly("12345678", ControlFrame.OVERLONG);
    }
}
