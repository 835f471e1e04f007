package io.coredumptools.rsp.handlers;

import io.coredumptools.emulator.debug.Watchpoint;
import io.coredumptools.rsp.inferior.DebugTarget;
import io.coredumptools.rsp.inferior.Hex;
import java.util.List;

/** Z0/Z1 breakpoints and Z2/Z3/Z4 watchpoints, as emulator hooks (nothing is written into the image). */
public final class BreakpointsHandler implements PacketHandler {
    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("Z", (p, s) -> change(p, s, true));
        routes.prefix("z", (p, s) -> change(p, s, false));
    }

    @Override
    public List<String> features() {
        return List.of("swbreak+", "hwbreak+");
    }

    private Reply change(String packet, RspSession session, boolean insert) {
        String body = packet.substring(1);
        int semi = body.indexOf(';'); // conditions and commands are not supported: ignored
        if (semi >= 0) {
            body = body.substring(0, semi);
        }
        String[] parts = body.split(",");
        if (parts.length != 3) {
            return Reply.error(0x01);
        }
        int type = Hex.parseInt(parts[0]);
        long address = Hex.parseLong(parts[1]);
        int kind = Hex.parseInt(parts[2]);
        DebugTarget target = session.target();
        switch (type) {
            case 0, 1 -> {
                if (insert) {
                    target.insertBreakpoint(
                            address,
                            type == 0 ? DebugTarget.BreakpointKind.SOFTWARE : DebugTarget.BreakpointKind.HARDWARE);
                } else {
                    target.removeBreakpoint(address);
                }
            }
            case 2, 3, 4 -> {
                if (kind <= 0) {
                    return Reply.error(0x16);
                }
                Watchpoint.Kind w = switch (type) {
                    case 2 -> Watchpoint.Kind.WRITE;
                    case 3 -> Watchpoint.Kind.READ;
                    default -> Watchpoint.Kind.ACCESS;
                };
                if (insert) {
                    target.insertWatchpoint(address, kind, w);
                } else {
                    target.removeWatchpoint(address, kind, w);
                }
            }
            default -> {
                return Reply.EMPTY;
            }
        }
        return Reply.OK;
    }
}
