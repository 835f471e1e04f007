package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Request.TlsAddress;
import io.coredumptools.rsp.target.TlsTarget;
import io.coredumptools.rsp.wire.Hex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * qGetTLSAddr: the address of a thread-local variable, or an E reply when it cannot be known. Never the empty
 * reply: gdb takes that for "not supported" and stops asking for the rest of the session.
 */
final class TlsHandlers {
    private static final Logger log = LoggerFactory.getLogger(TlsHandlers.class);

    private TlsHandlers() {}

    static void register(Dispatcher d) {
        d.on(TlsAddress.class, TlsHandlers::address);
    }

    private static Reply address(TlsAddress request, RspSession session) {
        int thread = session.state().resolve(request.thread(), session.target().threads());
        if (thread < 0) {
            return Reply.error(0x01);
        }
        TlsTarget tls = session.target().tls().orElseThrow();
        try {
            return Reply.text(Hex.number(tls.address(thread, request.offset(), request.linkMap())));
        } catch (TlsTarget.Unavailable e) {
            log.info(
                    "qGetTLSAddr (thread {}, offset 0x{}, link_map 0x{}): {}",
                    session.target().threads().tid(thread),
                    Long.toHexString(request.offset()),
                    Long.toHexString(request.linkMap()),
                    e.getMessage());
            return Reply.error(e.code());
        }
    }
}
