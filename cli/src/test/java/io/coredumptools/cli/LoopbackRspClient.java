package io.coredumptools.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

/** A minimal GDB remote client over loopback for the cli's serve tests: one packet out, its reply in. */
final class LoopbackRspClient implements AutoCloseable {
    private final Socket socket;

    private LoopbackRspClient(Socket socket) {
        this.socket = socket;
    }

    static LoopbackRspClient connect(int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        socket.setSoTimeout((int) timeout.toMillis());
        return new LoopbackRspClient(socket);
    }

    /** Sends one packet and returns the payload of the reply (acks skipped), "" when the connection ends. */
    String exchange(String payload) throws IOException {
        send(payload);
        return readPacket();
    }

    /** {@code monitor COMMAND}: the console output of its O packets, then the final reply after a newline. */
    String monitor(String command) throws IOException {
        send("qRcmd," + HexFormat.of().formatHex(command.getBytes(StandardCharsets.UTF_8)));
        StringBuilder console = new StringBuilder();
        while (true) {
            String reply = readPacket();
            if (reply.startsWith("O") && !reply.equals("OK") && reply.length() % 2 == 1) {
                console.append(new String(HexFormat.of().parseHex(reply.substring(1)), StandardCharsets.UTF_8));
            } else {
                return console + "\n" + reply;
            }
        }
    }

    private void send(String payload) throws IOException {
        OutputStream out = socket.getOutputStream();
        int sum = 0;
        for (byte b : payload.getBytes(StandardCharsets.ISO_8859_1)) {
            sum += b & 0xff;
        }
        out.write(String.format("$%s#%02x", payload, sum & 0xff).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private String readPacket() throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder reply = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '$') {}
        while ((c = in.read()) >= 0 && c != '#') {
            reply.append((char) c);
        }
        in.read();
        in.read();
        socket.getOutputStream().write('+');
        socket.getOutputStream().flush();
        return c < 0 ? "" : reply.length() == 0 ? "(empty)" : reply.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
