package io.coredumptools.rsp.handlers;

import java.nio.charset.StandardCharsets;

/** A reply payload (framed and escaped by the codec), or {@link #NONE} when the packet gets no reply. */
public record Reply(byte[] payload) {
    public static final Reply NONE = new Reply(null);
    public static final Reply EMPTY = new Reply(new byte[0]);
    public static final Reply OK = text("OK");

    public static Reply text(String text) {
        return new Reply(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@code Enn}: a generic error (errno-like number, hex). */
    public static Reply error(int code) {
        return text(String.format("E%02x", code & 0xff));
    }

    /** {@code E.text}: an error with a message, as gdbserver sends for qXfer objects it cannot give. */
    public static Reply errorMessage(String message) {
        return text("E." + message);
    }

    public static Reply bytes(byte[] payload) {
        return new Reply(payload);
    }

    public boolean isNone() {
        return payload == null;
    }
}
