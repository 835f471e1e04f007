package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.Hex;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code $_siginfo}: the crash siginfo (NT_SIGINFO) of the crashing thread, the fault's after a faulting call.
 * gdb reads it before each inferior call and writes it back after: the bracket that tells the target when a call
 * ends (see CallBrackets).
 */
public final class SiginfoHandler implements PacketHandler {
    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("qXfer:siginfo:read:", (p, s) -> {
            Xfer.Read read = Xfer.parseRead(p.substring("qXfer:siginfo:read:".length()));
            return Xfer.chunk(s.target().readSiginfo(read.offset()), read.offset(), read.length());
        });
        routes.prefix("qXfer:siginfo:write:", (p, s) -> {
            String rest = p.substring("qXfer:siginfo:write:".length());
            int annexEnd = rest.indexOf(':');
            int dataStart = rest.indexOf(':', annexEnd + 1);
            long offset = Hex.parseLong(rest.substring(annexEnd + 1, dataStart));
            byte[] data = rest.substring(dataStart + 1).getBytes(StandardCharsets.ISO_8859_1);
            if (offset < 0 || offset >= 128) {
                return Reply.error(0x01);
            }
            s.target().writeSiginfo(offset, data);
            return Reply.text(Hex.number(Math.min(data.length, 128 - offset)));
        });
    }

    @Override
    public List<String> features() {
        return List.of("qXfer:siginfo:read+", "qXfer:siginfo:write+");
    }
}
