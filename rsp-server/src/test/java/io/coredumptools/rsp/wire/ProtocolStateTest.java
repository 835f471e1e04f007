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
        ProtocolState wire = new ProtocolState();
        EmbeddedChannel small = new EmbeddedChannel(new FrameDecoder(4), wire);
        small.writeInbound(bytes(frame("toolong")));
        assertThat((Object) small.readInbound()).isEqualTo(ControlFrame.OVERLONG);
        small.flush();
        ByteBuf ack = small.readOutbound();
        assertThat(ack.toString(StandardCharsets.ISO_8859_1)).isEqualTo("+");
    }

    @Test
    void theAckGoesOutBeforeThePacketIsHandled() {
        List<String> seenByTheHandler = new ArrayList<>();
        ProtocolState wire = new ProtocolState();
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(0x20000), wire, new ReplyEncoder(0));
        ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                // what the client has received by the time the request is handled
                StringBuilder s = new StringBuilder();
                ByteBuf out;
                while ((out = ch.readOutbound()) != null) {
                    s.append(out.toString(StandardCharsets.ISO_8859_1));
                    out.release();
                }
                seenByTheHandler.add(s.toString());
            }
        });
        ch.writeInbound(bytes(frame("qSupported") + frame("vMustReplyEmpty")));
        assertThat(seenByTheHandler).containsExactly("+", "+");
    }

    @Test
    void aRetransmissionOfAnUnansweredPacketIsAckedAndDropped() {
        channel.writeInbound(bytes(frame("qSupported:multiprocess+") + frame("qSupported:multiprocess+")));
        assertThat(((Packet) channel.readInbound()).text()).isEqualTo("qSupported:multiprocess+");
        assertThat((Object) channel.readInbound()).as("the copy is dropped").isNull();
        assertThat(written()).as("both copies acked").isEqualTo("++");
        channel.writeInbound(bytes(frame("qSupported:multiprocess+")));
        assertThat((Object) channel.readInbound())
                .as("a third copy while still unanswered")
                .isNull();
        assertThat(written()).isEqualTo("+");
    }

    @Test
    void aRetransmissionInTheSameReadIsDroppedEvenWhenTheFirstCopyWasAnsweredAtOnce() {
        ProtocolState wire = new ProtocolState();
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(0x20000), wire, new ReplyEncoder(0));
        List<String> handled = new ArrayList<>();
        ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                handled.add(((Packet) msg).text());
                ctx.writeAndFlush(Reply.text("PacketSize=20000")); // answered synchronously, as the session does
            }
        });
        ch.writeInbound(bytes(frame("qSupported") + frame("qSupported")));
        assertThat(handled).as("one request handled").containsExactly("qSupported");
        ch.writeInbound(bytes(frame("qSupported")));
        assertThat(handled).as("in a later read, after its reply: asked again").hasSize(2);
    }

    @Test
    void theSamePacketAfterItsReplyIsANewRequest() {
        channel.writeInbound(bytes(frame("qC")));
        assertThat(((Packet) channel.readInbound()).text()).isEqualTo("qC");
        channel.writeOutbound(Reply.text("QC1"));
        written();
        channel.writeInbound(bytes(frame("qC")));
        assertThat(((Packet) channel.readInbound()).text())
                .as("answered: asked again")
                .isEqualTo("qC");
    }

    @Test
    void withoutAcksIdenticalPacketsAllGoOn() {
        state.disableAcks();
        channel.writeInbound(bytes(frame("qC") + frame("qC")));
        assertThat(((Packet) channel.readInbound()).text()).isEqualTo("qC");
        assertThat(((Packet) channel.readInbound()).text()).isEqualTo("qC");
        assertThat(written()).isEmpty();
    }
}
