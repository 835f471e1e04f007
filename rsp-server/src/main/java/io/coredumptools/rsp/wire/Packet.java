package io.coredumptools.rsp.wire;

import java.nio.charset.StandardCharsets;

/**
 * One RSP packet's payload, unescaped (the bytes between {@code $} and {@code #}, with {@code }} escapes
 * resolved). Binary payloads ({@code X}, {@code vFile:pwrite}, {@code qXfer:...:write}) keep every byte:
 * {@link #text()} maps bytes 1:1 to chars (ISO-8859-1), so binary data survives in the string too.
 */
public record Packet(byte[] payload) implements Frame {

    public static Packet of(String text) {
        return new Packet(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The payload as a string of bytes (ISO-8859-1): ASCII commands read naturally, binary data is preserved. */
    public String text() {
        return new String(payload, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return Printable.of(payload, 200);
    }
}
