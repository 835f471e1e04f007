package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.Hex;
import java.nio.charset.StandardCharsets;

/**
 * {@code monitor ...} (qRcmd): the line goes to the server's {@link io.coredumptools.rsp.target.MonitorCommands};
 * what they print goes to the console, then OK.
 */
public final class MonitorHandler implements PacketHandler {
    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("qRcmd,", (p, s) -> {
            String command = new String(Hex.decode(p.substring("qRcmd,".length())), StandardCharsets.UTF_8).strip();
            String output = s.monitorCommands().execute(command, s.target());
            if (!output.isEmpty()) {
                s.console(output.endsWith("\n") ? output : output + "\n");
            }
            return Reply.OK;
        });
    }
}
