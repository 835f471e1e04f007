package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.DebugTarget;
import io.coredumptools.rsp.inferior.Hex;
import java.nio.charset.StandardCharsets;

/**
 * {@code qMemoryRegionInfo:ADDR}: the mapping holding an address with its permissions and file (the core's
 * segments, and the memory calls and {@code _M} made since), or the unmapped gap around it (no
 * {@code permissions} field), as lldb-server answers.
 */
public final class MemoryRegionsHandler implements PacketHandler {
    @Override
    public void register(PacketRouter.Routes routes) {
        routes.exact("qMemoryRegionInfo", (p, s) -> Reply.OK);
        routes.prefix("qMemoryRegionInfo:", (p, s) -> {
            long address = Hex.parseLong(p.substring("qMemoryRegionInfo:".length()));
            return Reply.text(describe(s.target().memoryRegion(address)));
        });
    }

    static String describe(DebugTarget.MemoryRegion region) {
        StringBuilder s = new StringBuilder("start:")
                .append(Hex.number(region.start()))
                .append(";size:")
                .append(Hex.number(region.end() - region.start()))
                .append(';');
        if (region.mapped()) {
            s.append("permissions:")
                    .append(region.permissions().replace("-", ""))
                    .append(';');
            if (!region.name().isEmpty()) {
                s.append("name:")
                        .append(Hex.encode(region.name().getBytes(StandardCharsets.UTF_8)))
                        .append(';');
            }
        }
        return s.toString();
    }
}
