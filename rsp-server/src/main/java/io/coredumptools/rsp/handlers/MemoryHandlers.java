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
    /** The most a read returns: what fits a reply of PacketSize in hex. */
    static final int MAX_READ = Feature.PACKET_SIZE / 2 - 16;

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
        int length = Math.min(request.length(), MAX_READ);
        if (length == 0) {
            return request.binary() ? Reply.OK : Reply.EMPTY;
        }
        byte[] data = session.target().memory().read(request.address(), length);
        if (data.length == 0) {
            return Reply.error(EFAULT);
        }
        return request.binary() ? new Reply.Binary("", data) : new Reply.HexData("", data);
    }
}
