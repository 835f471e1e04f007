package io.coredumptools.rsp.handlers;

/**
 * QSaveRegisterState / QRestoreRegisterState (with lldb's {@code ;thread:TID;} suffix): lldb saves a thread's
 * registers before each expression or function it calls and restores them after. Each pair is also the call
 * bracket that restores memory to the crash image between calls (DebugTarget#saveRegisterState).
 */
public final class RegisterStateHandler implements PacketHandler {
    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("QSaveRegisterState", (p, s) -> {
            int thread = RegistersHandler.thread(p, s);
            return Reply.text(Integer.toString(s.target().saveRegisterState(thread)));
        });
        routes.prefix("QRestoreRegisterState:", (p, s) -> {
            String id = p.substring("QRestoreRegisterState:".length());
            int semi = id.indexOf(';');
            if (semi >= 0) {
                id = id.substring(0, semi);
            }
            return s.target().restoreRegisterState(Integer.parseInt(id)) ? Reply.OK : Reply.error(0x01);
        });
    }
}
