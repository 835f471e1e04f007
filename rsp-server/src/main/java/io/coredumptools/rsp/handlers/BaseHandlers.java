package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Feature;
import io.coredumptools.rsp.request.Request.Malformed;
import io.coredumptools.rsp.request.Request.QSupported;
import io.coredumptools.rsp.request.Request.SignalList;
import io.coredumptools.rsp.request.Request.StartNoAckMode;
import io.coredumptools.rsp.request.Request.SymbolLookup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection basics: qSupported (lists what the session's features add), QStartNoAckMode, and the packets
 * gdb sends because a stub might want them (qSymbol, QPassSignals, QProgramSignals): accepted. A malformed
 * packet gets its E reply here.
 */
final class BaseHandlers {
    private static final Logger log = LoggerFactory.getLogger(BaseHandlers.class);

    private BaseHandlers() {}

    static void register(Dispatcher d) {
        d.on(QSupported.class, BaseHandlers::supported);
        d.on(StartNoAckMode.class, (r, s) -> {
            s.disableAcks();
            return Reply.OK;
        });
        d.on(SymbolLookup.class, (r, s) -> Reply.OK); // no symbols wanted
        // Signals are never delivered to a core (it cannot die); the lists are kept, in Linux numbers.
        d.on(SignalList.class, (r, s) -> {
            Set<Integer> linux = new HashSet<>();
            for (int signal : r.signals()) {
                int number = s.state().fromWire(signal);
                if (number > 0) {
                    linux.add(number);
                }
            }
            s.state().setSignals(r.program(), linux);
            return Reply.OK;
        });
        d.on(Malformed.class, (r, s) -> {
            log.debug("malformed packet {}: {}", r.packet(), r.reason());
            return Reply.error(r.errno());
        });
    }

    private static Reply supported(QSupported request, RspSession session) {
        session.state().setClientFeatures(request.clientFeatures());
        List<String> supported = new ArrayList<>();
        for (Feature f : Feature.values()) {
            if (session.features().contains(f)) {
                supported.addAll(f.supported());
            }
        }
        return Reply.text(String.join(";", supported));
    }
}
