package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.Hex;

/**
 * Memory: m (hex read of the readable prefix, E when none), x (lldb's binary read; x addr,0 probes), M (hex
 * write), X (binary write; X addr,0: probes).
 */
public final class MemoryHandler implements PacketHandler {
    /** The most a read returns: what fits a reply of PacketSize in hex. */
    static final int MAX_READ = BaseHandler.PACKET_SIZE / 2 - 16;

    /**
     * m and x: {@code mADDR,LENGTH}; the reply is the readable prefix, hex-encoded (m) or binary (x). A zero
     * length is a probe: m answers empty (as gdbserver), x answers OK (as lldb-server).
     */
    private static Reply read(String packet, RspSession session, boolean binary) {
        String[] parts = packet.substring(1).split(",");
        long address = Hex.parseLong(parts[0]);
        int length = Math.min(Hex.parseInt(parts[1]), MAX_READ);
        if (length == 0) {
            return binary ? Reply.OK : Reply.EMPTY;
        }
        byte[] data = session.target().readMemory(address, length);
        if (data.length == 0) {
            return Reply.error(0x0e);
        }
        return Reply.bytes(binary ? data : Hex.encodeBytes(data));
    }

    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("m", (p, s) -> read(p, s, false));
        routes.prefix("x", (p, s) -> read(p, s, true));
        routes.prefix("M", (p, s) -> {
            int colon = p.indexOf(':');
            String[] parts = p.substring(1, colon).split(",");
            long address = Hex.parseLong(parts[0]);
            byte[] data = Hex.decode(p.substring(colon + 1));
            if (data.length != Hex.parseInt(parts[1])) {
                return Reply.error(0x01);
            }
            s.target().writeMemory(address, data);
            return Reply.OK;
        });
        routes.prefix("X", (p, s) -> {
            int colon = p.indexOf(':');
            String[] parts = p.substring(1, colon).split(",");
            long address = Hex.parseLong(parts[0]);
            int length = Hex.parseInt(parts[1]);
            byte[] data = p.substring(colon + 1).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            if (data.length != length) {
                return Reply.error(0x01);
            }
            s.target().writeMemory(address, data);
            return Reply.OK;
        });
    }
}
