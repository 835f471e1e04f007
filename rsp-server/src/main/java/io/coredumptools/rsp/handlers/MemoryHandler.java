package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.Hex;

/**
 * Memory: m (hex read of the readable prefix, E when none), x (lldb's binary read; x addr,0 probes), M (hex
 * write), X (binary write; X addr,0: probes).
 */
public final class MemoryHandler implements PacketHandler {
    /** The most a read returns: what fits a reply of PacketSize in hex. */
    static final int MAX_READ = BaseHandler.PACKET_SIZE / 2 - 16;

    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("m", (p, s) -> {
            String[] parts = p.substring(1).split(",");
            long address = Hex.parseLong(parts[0]);
            int length = Math.min(Hex.parseInt(parts[1]), MAX_READ);
            if (length == 0) {
                return Reply.EMPTY;
            }
            byte[] data = s.target().readMemory(address, length);
            return data.length == 0 ? Reply.error(0x0e) : Reply.bytes(Hex.encodeBytes(data));
        });
        routes.prefix("x", (p, s) -> {
            String[] parts = p.substring(1).split(",");
            long address = Hex.parseLong(parts[0]);
            int length = Math.min(Hex.parseInt(parts[1]), MAX_READ);
            if (length == 0) {
                return Reply.OK;
            }
            byte[] data = s.target().readMemory(address, length);
            return data.length == 0 ? Reply.error(0x0e) : Reply.bytes(data);
        });
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
