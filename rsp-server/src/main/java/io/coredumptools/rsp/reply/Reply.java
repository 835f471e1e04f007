package io.coredumptools.rsp.reply;

import io.coredumptools.rsp.wire.Hex;
import java.nio.charset.StandardCharsets;

/**
 * A reply, typed by how it goes on the wire ({@link ReplyEncoder} frames each kind its own way): text that may
 * need escapes, hex data that never does ({@code m}, {@code g}, {@code O}), binary data whose runs between
 * escapes are copied whole ({@code x}, {@code vFile:pread}, {@code qXfer}), or no reply at all.
 */
public sealed interface Reply {
    Reply OK = new Text("OK");
    Reply EMPTY = new Text("");
    Reply NONE = NoReply.INSTANCE;

    /** A text payload (ASCII, bytes 1:1 as ISO-8859-1). */
    record Text(String text) implements Reply {
        public byte[] bytes() {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** {@code head} (plain ASCII, no character that needs escaping) then {@code data} as hex digits. */
    record HexData(String head, byte[] data, int from, int length) implements Reply {
        public HexData(String head, byte[] data) {
            this(head, data, 0, data.length);
        }
    }

    /** {@code head} (plain ASCII) then {@code data[from, from+length)} as raw bytes, escaped where needed. */
    record Binary(String head, byte[] data, int from, int length) implements Reply {
        public Binary(String head, byte[] data) {
            this(head, data, 0, data.length);
        }
    }

    /** The packet gets no reply ({@code k}). */
    enum NoReply implements Reply {
        INSTANCE
    }

    static Reply text(String text) {
        return new Text(text);
    }

    /** {@code Enn}: an error with an errno-like number. */
    static Reply error(int code) {
        return new Text("E" + Hex.pair(code));
    }

    /** {@code E.text}: an error with a message, as gdbserver sends for qXfer objects it cannot give. */
    static Reply errorMessage(String message) {
        return new Text("E." + message);
    }

    /** {@code O}hex: text for the client's console. */
    static Reply console(byte[] text, int from, int length) {
        return new HexData("O", text, from, length);
    }
}
