package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.DebugTarget;
import io.coredumptools.rsp.inferior.Hex;
import io.coredumptools.rsp.inferior.RegisterSet;
import io.coredumptools.rsp.inferior.ThreadId;

/**
 * Registers of the Hg thread in the client's numbering (gdb's target description, or lldb's): g/G (all),
 * p/P (one). A {@code ;thread:TID;} suffix (lldb's QThreadSuffixSupported style) selects the thread too.
 */
public final class RegistersHandler implements PacketHandler {
    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("g", (p, s) -> {
            int thread = thread(p, s);
            return Reply.bytes(
                    Hex.encodeBytes(s.registerSet().readAll(s.target().registers(thread))));
        });
        routes.prefix("G", (p, s) -> {
            int thread = thread(p, s);
            RegisterSet set = s.registerSet();
            byte[] data = Hex.decode(strip(p).substring(1));
            if (data.length < set.minimumGBytes()) {
                return Reply.error(0x01); // not even the general registers
            }
            set.writeAll(s.target().registers(thread), data);
            s.target().registersWritten(thread);
            return Reply.OK;
        });
        routes.prefix("p", (p, s) -> {
            int thread = thread(p, s);
            int regnum = Hex.parseInt(strip(p).substring(1));
            if (regnum >= s.registerSet().count()) {
                return Reply.error(0x01);
            }
            return Reply.text(Hex.encode(s.registerSet().read(s.target().registers(thread), regnum)));
        });
        routes.prefix("P", (p, s) -> {
            int thread = thread(p, s);
            String body = strip(p).substring(1);
            int eq = body.indexOf('=');
            int regnum = Hex.parseInt(body.substring(0, eq));
            if (regnum >= s.registerSet().count()) {
                return Reply.error(0x01);
            }
            s.registerSet().write(s.target().registers(thread), regnum, Hex.decode(body.substring(eq + 1)));
            s.target().registersWritten(thread);
            return Reply.OK;
        });
    }

    private static String strip(String packet) {
        int suffix = packet.indexOf(";thread:");
        return suffix < 0 ? packet : packet.substring(0, suffix);
    }

    /** The thread a {@code ;thread:TID;} suffix names, else the Hg thread. */
    static int thread(String packet, RspSession session) {
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
