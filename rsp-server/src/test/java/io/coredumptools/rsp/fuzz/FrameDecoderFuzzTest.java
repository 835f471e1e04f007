package io.coredumptools.rsp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.coredumptools.rsp.wire.ControlFrame;
import io.coredumptools.rsp.wire.FrameDecoder;
import io.coredumptools.rsp.wire.Packet;
import io.coredumptools.testkit.fuzz.HangGuard;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * The frame decoder over any byte stream, cut into reads anywhere: it never throws, never yields a packet longer
 * than its limit, and yields the same frames however the stream is cut (a client's TCP segments are arbitrary).
 * See docs/reliability.md for the long run.
 */
public class FrameDecoderFuzzTest {
    /** Small, so that overlong packets are common in fuzzed input. */
    private static final int MAX_PACKET = 64;

    private static final HangGuard GUARD = new HangGuard();

    @AfterAll
    static void close() {
        GUARD.close();
    }

    @FuzzTest(maxDuration = "5s")
    void anyStreamCutAnywhereDecodesToTheSameBoundedFrames(FuzzedDataProvider data) throws Exception {
        fuzzerTestOneInput(data);
    }

    /** The fuzz target, also the entry point of Jazzer's command line for the long runs (scripts/fuzz/jazzer-long). */
    public static void fuzzerTestOneInput(FuzzedDataProvider data) throws Exception {
        int[] cuts = new int[data.consumeInt(0, 8)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(0, 4096);
        }
        byte[] stream = data.consumeRemainingAsBytes();
        GUARD.run(HexFormat.of().formatHex(stream), () -> {
            List<Object> whole = decode(stream, new int[0]);
            List<Object> cut = decode(stream, cuts);
            assertThat(cut).isEqualTo(whole);
            for (Object frame : whole) {
                if (frame instanceof String payload) {
                    assertThat(payload.length()).isLessThanOrEqualTo(MAX_PACKET);
                } else {
                    assertThat(frame).isInstanceOf(ControlFrame.class);
                }
            }
        });
    }

    /** The frames of {@code stream} written in reads that end at {@code cuts} (payloads as strings). */
    private static List<Object> decode(byte[] stream, int[] cuts) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_PACKET));
        int[] ends = Arrays.stream(cuts)
                .map(c -> Math.min(c, stream.length))
                .sorted()
                .toArray();
        int at = 0;
        List<Object> frames = new ArrayList<>();
        for (int end : ends) {
            if (end > at) {
                channel.writeInbound(Unpooled.wrappedBuffer(stream, at, end - at));
                at = end;
            }
        }
        channel.writeInbound(Unpooled.wrappedBuffer(stream, at, stream.length - at));
        Object o;
        while ((o = channel.readInbound()) != null) {
            frames.add(o instanceof Packet p ? p.text() : o);
        }
        channel.finishAndReleaseAll();
        return frames;
    }
}
