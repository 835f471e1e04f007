package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Feature;
import io.coredumptools.rsp.request.Request.ReadMemory;
import io.coredumptools.rsp.request.Request.WriteMemory;

/**
 * Memory: m (hex read of the readable prefix, E when none), x (lldb's binary read; x addr,0 probes), M and X
 * (writes; X addr,0: probes).
 */
final class MemoryHandlers {
    /**
     * The most a hex read ({@code m}) returns: what gdb asks for, PacketSize / 2 (it asks {@code m addr,10000} with
     * our PacketSize); a smaller cap costs gdb one more round trip for the rest of each request.
     */
    static final int MAX_READ = Feature.PACKET_SIZE / 2;

    /**
     * The most a binary read ({@code x}) returns: what lldb asks for, PacketSize less the 70 bytes lldb keeps for
     * the packet's own overhead (131,002 with our PacketSize). The escapes may make the reply a little longer than
     * PacketSize, as lldb-server's are; clients grow their buffers.
     */
    static final int MAX_BINARY_READ = Feature.PACKET_SIZE - 70;

    private static final int EFAULT = 0x0e;

    private MemoryHandlers() {}

    static void register(Dispatcher d) {
        d.on(ReadMemory.class, MemoryHandlers::read);
        d.on(WriteMemory.class, (r, s) -> {
            s.target().memory().write(r.address(), r.data());
            return Reply.OK;
        });
    }

    /** A zero length probes: m answers empty (as gdbserver), x answers OK (as lldb-server). */
    private static Reply read(ReadMemory request, RspSession session) {
        int length = Math.min(request.length(), request.binary() ? MAX_BINARY_READ : MAX_READ);
        if (length == 0) {
            return request.binary() ? Reply.OK : Reply.EMPTY;
        }
        return readInto(
                request.binary() ? Reply.MemoryBuffer.binary(length) : Reply.MemoryBuffer.hex(length),
                request.address(),
                session);
    }

    /** Reads straight into the reply's buffer (a core's bytes go from the file to the socket with no array). */
    private static Reply readInto(Reply.MemoryBuffer reply, long address, RspSession session) {
        boolean answered = false;
        try {
            int read = session.target().memory().read(address, reply.rawBytes());
            answered = read > 0;
            return answered ? reply.filled(read) : Reply.error(EFAULT);
        } finally {
            if (!answered) {
                reply.release();
            }
        }
    }
}
