package io.coredumptools.rsp.reply;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyEncoderTest {
    private static String framed(Reply reply) {
        ByteBuf out = Unpooled.buffer();
        ReplyEncoder.frame(reply, out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** The checksum of what is between $ and #, as the client computes it. */
    private static void assertChecksum(String frame) {
        int hash = frame.lastIndexOf('#');
        int sum = 0;
        for (char c : frame.substring(1, hash).toCharArray()) {
            sum += c;
        }
        assertThat(frame.substring(hash + 1)).isEqualTo(String.format("%02x", sum & 0xff));
    }

    @Test
    void textIsEscapedWhereNeeded() {
        String out = framed(Reply.text("OK#$}*"));
        assertThat(out).startsWith("$OK}\u0003}\u0004}]}\n#");
        assertChecksum(out);
    }

    @Test
    void hexDataIsWrittenAsDigitsWithItsHead() {
        String out = framed(new Reply.HexData("O", new byte[] {0, 0x23, (byte) 0xff, 0x7d}));
        assertThat(out).startsWith("$O0023ff7d#");
        assertChecksum(out);
        assertThat(framed(new Reply.HexData("", new byte[] {1, 2, 3, 4}, 1, 2))).startsWith("$0203#");
    }

    @Test
    void hexDataOfEveryByteValueIsLowerCaseDigitPairs() {
        byte[] data = new byte[512];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        String out = framed(new Reply.HexData("", data, 3, 500));
        assertThat(out).startsWith("$" + java.util.HexFormat.of().formatHex(data, 3, 503) + "#");
        assertChecksum(out);
    }

    @Test
    void binaryDataCopiesTheRunsBetweenEscapes() {
        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        String out = framed(new Reply.Binary("F12c;", data));
        StringBuilder expected = new StringBuilder("$F12c;");
        for (byte b : data) {
            int c = b & 0xff;
            if (c == '$' || c == '#' || c == '}' || c == '*') {
                expected.append('}').append((char) (c ^ 0x20));
            } else {
                expected.append((char) c);
            }
        }
        assertThat(out).startsWith(expected.append('#').toString());
        assertChecksum(out);
        assertThat(framed(new Reply.Binary("l", "ab#cd".getBytes(StandardCharsets.US_ASCII), 1, 3)))
                .startsWith("$lb}\u0003c#");
    }

    @Test
    void anEmptyReplyIsAnEmptyPacket() {
        assertThat(framed(Reply.EMPTY)).isEqualTo("$#00");
    }
}
