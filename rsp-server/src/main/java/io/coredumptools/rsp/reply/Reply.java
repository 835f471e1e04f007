package io.coredumptools.rsp.reply;

import io.coredumptools.rsp.wire.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCounted;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A reply, typed by how it goes on the wire ({@link ReplyEncoder} frames each kind its own way): text that may
 * need escapes, hex data that never does ({@code g}, {@code O}), binary data escaped where needed
 * ({@code vFile:pread}, {@code qXfer}), memory read straight into the buffer it is sent from ({@code m}, {@code x}),
 * or no reply at all.
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

    /**
     * Memory read straight into the direct buffer its reply is sent from, sent as hex digits ({@code m}) or binary
     * ({@code x}): the reader fills {@link #rawBytes()} and says how much with {@link #filled}; {@link ReplyEncoder}
     * converts those bytes in place and sends that buffer: no array, and no copy between the file and the socket
     * but the conversion. Holds a pooled buffer, released when the reply is written (or by whoever drops the reply
     * instead).
     */
    final class MemoryBuffer implements Reply, ReferenceCounted {
        private final ByteBuf frame;
        private final boolean hex;
        private final int capacity;
        private final int raw;
        private int length;

        private MemoryBuffer(ByteBuf frame, boolean hex, int capacity, int raw) {
            this.frame = frame;
            this.hex = hex;
            this.capacity = capacity;
            this.raw = raw;
        }

        /** A binary reply ({@code x}) with room for up to {@code capacity} bytes of data. */
        public static MemoryBuffer binary(int capacity) {
            return allocate(false, capacity);
        }

        /** A hex reply ({@code m}) with room for up to {@code capacity} bytes of data. */
        public static MemoryBuffer hex(int capacity) {
            return allocate(true, capacity);
        }

        private static MemoryBuffer allocate(boolean hex, int capacity) {
            ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(1 + BulkBytes.room(capacity) + 3);
            frame.writeByte('$');
            return new MemoryBuffer(frame, hex, capacity, BulkBytes.rawIndex(frame, capacity));
        }

        /** Where the data goes: {@code capacity} bytes from position 0. */
        public ByteBuffer rawBytes() {
            return frame.nioBuffer(raw, capacity);
        }

        /** The data is the first {@code length} bytes of {@link #rawBytes()}. */
        public MemoryBuffer filled(int length) {
            if (length < 0 || length > capacity) {
                throw new IllegalArgumentException(length + " bytes do not fit in " + capacity);
            }
            this.length = length;
            return this;
        }

        /** The data, copied (for tests and logs). */
        public byte[] data() {
            byte[] data = new byte[length];
            frame.getBytes(raw, data);
            return data;
        }

        ByteBuf frame() {
            return frame;
        }

        boolean isHex() {
            return hex;
        }

        int raw() {
            return raw;
        }

        int length() {
            return length;
        }

        @Override
        public int refCnt() {
            return frame.refCnt();
        }

        @Override
        public MemoryBuffer retain() {
            frame.retain();
            return this;
        }

        @Override
        public MemoryBuffer retain(int increment) {
            frame.retain(increment);
            return this;
        }

        @Override
        public MemoryBuffer touch() {
            frame.touch();
            return this;
        }

        @Override
        public MemoryBuffer touch(Object hint) {
            frame.touch(hint);
            return this;
        }

        @Override
        public boolean release() {
            return frame.release();
        }

        @Override
        public boolean release(int decrement) {
            return frame.release(decrement);
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
