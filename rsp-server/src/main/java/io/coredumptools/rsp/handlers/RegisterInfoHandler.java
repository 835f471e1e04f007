package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.Hex;
import io.coredumptools.rsp.inferior.LldbRegisters;

/**
 * {@code qRegisterInfoN}: lldb's register description one register at a time (what lldb uses when it was
 * built without libxml2 or the stub has no target.xml): lldb's numbering ({@link LldbRegisters}); {@code E45}
 * past the last register ends the list.
 */
public final class RegisterInfoHandler implements PacketHandler {
    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("qRegisterInfo", (p, s) -> {
            s.setLldb(true); // only lldb asks: from now on it gets lldb's numbering everywhere
            String info = LldbRegisters.registerInfo(Hex.parseInt(p.substring("qRegisterInfo".length())));
            return info == null ? Reply.error(0x45) : Reply.text(info);
        });
    }
}
