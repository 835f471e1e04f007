package io.coredumptools.rsp.handlers;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The connection basics: qSupported (lists what the handlers implement), QStartNoAckMode, the packet size,
 * and the packets gdb sends because a stub might want them (qSymbol, QPassSignals, QProgramSignals): accepted.
 */
public final class BaseHandler implements PacketHandler {
    /** Large, so memory reads are few: 128 KiB, as lldb-server. */
    public static final int PACKET_SIZE = 0x20000;

    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("qSupported", this::supported);
        routes.exact("QStartNoAckMode", (p, s) -> {
            if (s.clientFeatures().isEmpty() && !supportedSeen(s)) {
                s.setLldb(true); // lldb asks for no-ack mode before qSupported; gdb after
            }
            s.disableAcks();
            return Reply.OK;
        });
        routes.prefix("qSymbol:", (p, s) -> Reply.OK); // no symbols wanted
        routes.prefix("QPassSignals:", (p, s) -> Reply.OK);
        routes.prefix("QProgramSignals:", (p, s) -> Reply.OK);
    }

    @Override
    public List<String> features() {
        return List.of("PacketSize=" + Integer.toHexString(PACKET_SIZE), "QStartNoAckMode+", "QPassSignals+",
                "QProgramSignals+");
    }

    private final Set<RspSession> seen = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());

    private boolean supportedSeen(RspSession session) {
        synchronized (seen) {
            return seen.contains(session);
        }
    }

    private Reply supported(String packet, RspSession session) {
        Set<String> client = new HashSet<>();
        int colon = packet.indexOf(':');
        if (colon >= 0) {
            for (String f : packet.substring(colon + 1).split(";")) {
                if (f.endsWith("+")) {
                    client.add(f.substring(0, f.length() - 1));
                } else if (!f.endsWith("-") && !f.isEmpty()) {
                    client.add(f);
                }
            }
        }
        session.setClientFeatures(client);
        synchronized (seen) {
            seen.add(session);
        }
        if (client.stream().anyMatch(f -> f.startsWith("xmlRegisters=") && f.contains("arm"))) {
            session.setLldb(true); // lldb-16: xmlRegisters=i386,arm,mips,arc; gdb: xmlRegisters=i386
        }
        return Reply.text(String.join(";", session.serverFeatures()));
    }
}
