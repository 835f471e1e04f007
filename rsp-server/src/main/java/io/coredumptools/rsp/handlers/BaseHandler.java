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
            s.disableAcks();
            return Reply.OK;
        });
        routes.prefix("qSymbol:", (p, s) -> Reply.OK); // no symbols wanted
        routes.prefix("QPassSignals:", (p, s) -> Reply.OK);
        routes.prefix("QProgramSignals:", (p, s) -> Reply.OK);
    }

    @Override
    public List<String> features() {
        return List.of(
                "PacketSize=" + Integer.toHexString(PACKET_SIZE),
                "QStartNoAckMode+",
                "QPassSignals+",
                "QProgramSignals+");
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
        // Whether the client is lldb is decided by packets only lldb sends (QThreadSuffixSupported, qHostInfo,
        // qRegisterInfo), all before it reads registers: qSupported's xmlRegisters list is no sign (gdb-multiarch
        // lists arm and mips too), nor is asking for no-ack mode first.
        return Reply.text(String.join(";", session.serverFeatures()));
    }
}
