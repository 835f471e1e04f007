package io.coredumptools.rsp.handlers;

import java.util.List;

/**
 * One family of packets (one optional feature of the protocol), in the manner of the gdbstub crate's
 * extension traits: it registers the packets it answers and the qSupported features it stands for, so
 * qSupported lists exactly what is implemented. Unregistered packets get the empty reply.
 */
public interface PacketHandler {
    void register(PacketRouter.Routes routes);

    /** qSupported features this handler implements (e.g. {@code qXfer:auxv:read+}). */
    default List<String> features() {
        return List.of();
    }
}
