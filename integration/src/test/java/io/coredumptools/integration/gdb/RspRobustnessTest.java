package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Robustness: malformed input on the wire gets one answer each, and the server keeps serving: garbage between
 * packets is ignored, a bad checksum is nak'ed, a packet longer than the advertised PacketSize is acked and
 * answered E07; the same connection goes on, and a gdb that connects afterwards works.
 */
class RspRobustnessTest {
    private static final int READ_TIMEOUT_MS = 30_000;

    @Test
    void malformedPacketsAreRejectedAndTheServerKeepsServing() throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        List<String> coreFrames = GdbOutput.frames(GdbTranscript.onCore(f, "bt").section(0));
        try (CorestubServer server = CorestubServer.serve(f)) {
            int packetSize;
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(READ_TIMEOUT_MS);
                Wire wire = new Wire(socket);

                wire.sendRaw("$qSupported:multiprocess+;swbreak+#00");
                assertThat(wire.readByte())
                        .as("a bad checksum is nak'ed\n" + server.describe())
                        .isEqualTo('-');

                String supported = wire.request("qSupported:multiprocess+;swbreak+");
                Matcher size = Pattern.compile("PacketSize=([0-9a-fA-F]+)").matcher(supported);
                assertThat(size.find()).as(supported).isTrue();
                packetSize = Integer.parseInt(size.group(1), 16);

                assertThat(wire.request("?"))
                        .as("the stop reason is the crash signal")
                        .matches("[TS]06.*");

                // Bytes outside a packet are ignored, as gdbserver does: no nak, the next packet is acked.
                wire.sendRaw("\u0000\u00ffgarbage#zz}}}#\r\n");
                wire.sendPacket("?".getBytes(StandardCharsets.US_ASCII));
                assertThat((char) wire.readByte())
                        .as("ack after garbage\n" + server.describe())
                        .isEqualTo('+');
                assertThat(wire.readPacket())
                        .as("after garbage between packets\n" + server.describe())
                        .matches("[TS]06.*");

                wire.skipped();
                wire.sendRaw("$?#3f$qC#b4");
                assertThat(wire.readPacket()).matches("[TS]06.*");
                assertThat(wire.readPacket()).as("two packets in one write").startsWith("QC");
                assertThat(wire.skipped()).as("one ack per packet").isEqualTo("++");
            }

            // Longer than the advertised maximum: received (acknowledged) and answered with E07 (E2BIG), on a
            // connection that goes on serving; never a hang, and never the whole server.
            byte[] payload = new byte[Math.min(Math.max(4 * packetSize, 1 << 16), 64 << 20)];
            Arrays.fill(payload, (byte) 'a');
            payload[0] = 'M';
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(READ_TIMEOUT_MS);
                Wire wire = new Wire(socket);
                wire.sendPacket(payload);
                assertThat((char) wire.readByte())
                        .as("an overlong packet is acknowledged\n" + server.describe())
                        .isEqualTo('+');
                assertThat(wire.readPacket())
                        .as("reply to an overlong packet\n" + server.describe())
                        .isEqualTo("E07");
                assertThat(wire.request("?")).as("the same connection goes on").matches("[TS]06.*");
            } catch (SocketTimeoutException e) {
                throw new AssertionError(
                        "no answer to an overlong packet within " + READ_TIMEOUT_MS + " ms\n" + server.describe(), e);
            }
            assertThat(server.isAlive()).as(server.describe()).isTrue();

            GdbTranscript t = GdbProcess.connectedTo(server)
                    .program(f.program())
                    .directory(f.directory())
                    .run("bt", "print next_id()");
            assertThat(GdbOutput.frames(t.section(0)))
                    .as("a gdb afterwards\n" + t.describe() + "\n" + server.describe())
                    .containsExactlyElementsOf(coreFrames);
            assertThat(t.value(1)).as(t.describe()).isEqualTo("43");
        }
    }

    /** The RSP framing, in acknowledgment mode (no QStartNoAckMode here). */
    private static final class Wire {
        private final InputStream in;
        private final OutputStream out;
        /** Bytes readPacket skipped before each '$' since the last call of {@link #skipped()}. */
        private final StringBuilder skipped = new StringBuilder();

        Wire(Socket socket) throws IOException {
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void sendRaw(String bytes) throws IOException {
            out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void sendPacket(byte[] payload) throws IOException {
            int sum = 0;
            for (byte b : payload) {
                sum += b & 0xff;
            }
            out.write('$');
            out.write(payload);
            out.write(String.format("#%02x", sum & 0xff).getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Sends a packet, expects '+', returns the reply and acks it. */
        String request(String payload) throws IOException {
            sendPacket(payload.getBytes(StandardCharsets.ISO_8859_1));
            int ack = readByte();
            if (ack != '+') {
                throw new AssertionError("expected '+' for " + payload + ", got " + (char) ack);
            }
            return readPacket();
        }

        String skipped() {
            String text = skipped.toString();
            skipped.setLength(0);
            return text;
        }

        int readByte() throws IOException {
            return in.read();
        }

        /** Reads {@code $...#cs}, checks the checksum, acks it; run-length encoding is left as is. */
        String readPacket() throws IOException {
            int c;
            while ((c = in.read()) != '$') {
                if (c == -1) {
                    throw new AssertionError("connection closed while waiting for a packet");
                }
                skipped.append((char) c);
            }
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            int sum = 0;
            while ((c = in.read()) != '#') {
                if (c == -1) {
                    throw new AssertionError("connection closed inside a packet");
                }
                payload.write(c);
                sum += c;
            }
            String checksum = new String(new byte[] {(byte) in.read(), (byte) in.read()}, StandardCharsets.US_ASCII);
            String text = payload.toString(StandardCharsets.ISO_8859_1);
            assertThat(Integer.parseInt(checksum, 16))
                    .as("checksum of $" + text)
                    .isEqualTo(sum & 0xff);
            out.write('+');
            out.flush();
            return text;
        }
    }
}
