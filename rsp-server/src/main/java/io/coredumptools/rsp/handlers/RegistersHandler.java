package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.DebugTarget;
import io.coredumptools.rsp.inferior.Hex;
import io.coredumptools.rsp.inferior.RegisterLayout;
import io.coredumptools.rsp.inferior.ThreadId;

/**
 * Registers of the Hg thread in the target description's regnum order: g/G (all), p/P (one). A
 * {@code ;thread:TID;} suffix (lldb's QThreadSuffixSupported style) selects the thread too.
 */
public final class RegistersHandler implements PacketHandler {
    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("g", (p, s) -> {
            int thread = thread(p, s);
            return Reply.bytes(Hex.encodeBytes(RegisterLayout.readAll(s.target().registers(thread))));
        });
        routes.prefix("G", (p, s) -> {
            int thread = thread(p, s);
            byte[] data = Hex.decode(strip(p).substring(1));
            if (data.length < RegisterLayout.offset(24)) {
                return Reply.error(0x01); // not even the general registers
            }
            RegisterLayout.writeAll(s.target().registers(thread), data);
            s.target().registersWritten(thread);
            return Reply.OK;
        });
        routes.prefix("p", (p, s) -> {
            int thread = thread(p, s);
            int regnum = Hex.parseInt(strip(p).substring(1));
            if (regnum >= RegisterLayout.COUNT) {
                return Reply.error(0x01);
            }
            return Reply.text(Hex.encode(RegisterLayout.read(s.target().registers(thread), regnum)));
        });
        routes.prefix("P", (p, s) -> {
            int thread = thread(p, s);
            String body = strip(p).substring(1);
            int eq = body.indexOf('=');
            int regnum = Hex.parseInt(body.substring(0, eq));
            if (regnum >= RegisterLayout.COUNT) {
                return Reply.error(0x01);
            }
            RegisterLayout.write(s.target().registers(thread), regnum, Hex.decode(body.substring(eq + 1)));
            s.target().registersWritten(thread);
            return Reply.OK;
        });
    }

    private static String strip(String packet) {
        int suffix = packet.indexOf(";thread:");
        return suffix < 0 ? packet : packet.substring(0, suffix);
    }

    private static int thread(String packet, RspSession session) {
        DebugTarget target = session.target();
        int suffix = packet.indexOf(";thread:");
        if (suffix < 0) {
            return target.generalThread();
        }
        String id = packet.substring(suffix + ";thread:".length());
        if (id.endsWith(";")) {
            id = id.substring(0, id.length() - 1);
        }
        int index = target.threadIndex(ThreadId.parse(id));
        if (index < 0) {
            throw new IllegalArgumentException("no thread " + id);
        }
        return index;
    }
}
