package io.coredumptools.rsp.handlers;

/**
 * The process as a whole: qAttached (1: gdb detaches on quit), D (detach: the connection ends), k and vKill
 * (the "process" goes back to the crash image; k closes the connection as gdbserver does).
 */
public final class ProcessHandler implements PacketHandler {
    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("qAttached", (p, s) -> Reply.text("1"));
        routes.prefix("D", (p, s) -> {
            s.closeAfterReply();
            return Reply.OK;
        });
        routes.prefix("vKill", (p, s) -> {
            s.target().reset();
            return Reply.OK;
        });
        routes.exact("k", (p, s) -> {
            s.target().reset();
            s.closeAfterReply();
            return Reply.NONE;
        });
    }
}
