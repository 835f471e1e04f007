package io.coredumptools.rsp.wire;

import static io.coredumptools.rsp.wire.FrameDecoderTest.bytes;
import static io.coredumptools.rsp.wire.FrameDecoderTest.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.reply.ReplyEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolStateTest {
    private final ProtocolState state = new ProtocolState();
    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(0x20000), state, new ReplyEncoder(0));

    private String written() {
        channel.flush();
        StringBuilder s = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            s.append(out.toString(StandardCharsets.ISO_8859_1));
            out.release();
        }
        return s.toString();
    }

    @Test
    void goodPacketsAreAckedBadOnesNaked() {
        channel.writeInbound(bytes(frame("g") + "$g#00"));
        assertThat(((Packet) channel.readInbound()).text()).isEqualTo("g");
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(written()).isEqualTo("+-");
    }

    @Test
    void withoutAcksNothingIsWrittenBackAndNaksResendNothing() {
        state.disableAcks();
        channel.writeOutbound(Reply.OK);
        assertThat(written()).isEqualTo("$OK#9a");
        channel.writeInbound(bytes("$g#00" + frame("m0,4") + "-"));
        assertThat(((Packet) channel.readInbound()).text()).isEqualTo("m0,4");
        assertThat(written()).isEmpty();
    }

    @Test
    void aNakResendsTheLastFrame() {
        channel.writeOutbound(Reply.text("first"), Reply.OK);
        assertThat(written()).isEqualTo("$first#" + frame("first").substring(7) + "$OK#9a");
        channel.writeInbound(bytes("-"));
        assertThat(written()).isEqualTo("$OK#9a");
        channel.writeInbound(bytes("-"));
        assertThat(written()).isEqualTo("$OK#9a");
    }

    @Test
    void naksWhileAResendIsUnsentQueueNoMoreCopies() {
        // Writes reach this handler and stay pending (their promises unfulfilled), as on a slow socket.
        List<ChannelPromise> held = new ArrayList<>();
        EmbeddedChannel slow = new EmbeddedChannel(
                new ChannelOutboundHandlerAdapter() {
                    @Override
                    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                        held.add(promise);
                        io.netty.util.ReferenceCountUtil.release(msg);
                    }
                },
                new FrameDecoder(0x20000),
                new ProtocolState(),
                new ReplyEncoder(0));
        slow.writeAndFlush(Reply.OK);
        assertThat(held).hasSize(1);
        slow.writeInbound(bytes("-".repeat(5000)));
        assertThat(held).as("one resend for 5,000 naks while it is unsent").hasSize(2);
        held.get(1).setSuccess();
        slow.writeInbound(bytes("-"));
        assertThat(held).as("the next nak once the resend went out").hasSize(3);
    }

    @Test
    void anOverlongPacketIsAckedAndPassedOn() {
        EmbeddedChannel small = new EmbeddedChannel(new FrameDecoder(4), new ProtocolState());
        small.writeInbound(bytes(frame("toolong")));
        assertThat((Object) small.readInbound()).isEqualTo(ControlFrame.OVERLONG);
        small.flush();
        ByteBuf ack = small.readOutbound();
        assertThat(ack.toString(StandardCharsets.ISO_8859_1)).isEqualTo("+");
    }
}
