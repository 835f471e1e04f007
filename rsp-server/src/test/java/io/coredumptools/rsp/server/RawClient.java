package io.coredumptools.rsp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal RSP client over a socket: acks on until told otherwise, unescapes replies. Generous timeouts. */
final class RawClient implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    boolean acks = true;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static byte[] frame(String payload) {
        byte[] p = payload.getBytes(StandardCharsets.ISO_8859_1);
        int sum = 0;
        for (byte b : p) {
            sum += b & 0xff;
        }
        return ("$" + payload + String.format("#%02x", sum & 0xff)).getBytes(StandardCharsets.ISO_8859_1);
    }

    void send(String payload) throws IOException {
        out.write(frame(payload));
        out.flush();
    }

    String ask(String payload) throws IOException {
        send(payload);
        if (acks) {
            assertThat(in.read()).isEqualTo('+');
        }
        return read();
    }

    /** Switches both sides to no-ack mode. */
    void noAcks() throws IOException {
        assertThat(ask("QStartNoAckMode")).isEqualTo("OK");
        acks = false;
    }

    String read() throws IOException {
        int c;
        while ((c = in.read()) != '$') {
            assertThat(c).as("the connection closed").isNotEqualTo(-1);
        }
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        while ((c = in.read()) != '#') {
            assertThat(c).isNotEqualTo(-1);
            if (c == '}') {
                c = in.read() ^ 0x20;
            }
            s.write(c);
        }
        in.read();
        in.read();
        if (acks) {
            out.write('+');
        }
        return s.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
