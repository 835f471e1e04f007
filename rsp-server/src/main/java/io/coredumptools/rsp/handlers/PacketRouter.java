package io.coredumptools.rsp.handlers;

import io.coredumptools.emulator.memory.MemoryAccessException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches packets to the handlers' commands by name: an exact name ({@code g}, {@code vCont?}) or a prefix
 * ({@code m}, {@code qXfer:auxv:read:}); the longest match wins. Unknown packets get the empty reply, as the
 * protocol requires ({@code vMustReplyEmpty}); a command that throws gets {@code E01}.
 */
public final class PacketRouter {
    private static final Logger log = LoggerFactory.getLogger(PacketRouter.class);

    private record Route(String name, boolean exact, Command command) {}

    /** Where handlers register their commands. */
    public final class Routes {
        public void exact(String name, Command command) {
            routes.add(new Route(name, true, command));
        }

        public void prefix(String prefix, Command command) {
            routes.add(new Route(prefix, false, command));
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final List<String> features;

    public PacketRouter(List<PacketHandler> handlers) {
        Routes r = new Routes();
        LinkedHashSet<String> all = new LinkedHashSet<>();
        for (PacketHandler h : handlers) {
            h.register(r);
            all.addAll(h.features());
        }
        routes.sort(Comparator.comparingInt((Route x) -> x.name.length()).reversed());
        features = List.copyOf(all);
    }

    public List<String> features() {
        return features;
    }

    public Reply dispatch(String packet, RspSession session) {
        for (Route route : routes) {
            boolean match = route.exact ? packet.equals(route.name) : packet.startsWith(route.name);
            if (!match) {
                continue;
            }
            try {
                return route.command.handle(packet, session);
            } catch (MemoryAccessException e) {
                log.debug("{}: {}", abbreviated(packet), e.getMessage());
                return Reply.error(0x0e); // EFAULT
            } catch (Exception e) {
                log.debug("{}: {}", abbreviated(packet), e.toString());
                return Reply.error(0x01);
            }
        }
        return Reply.EMPTY;
    }

    private static String abbreviated(String packet) {
        return packet.length() > 60 ? packet.substring(0, 60) + "..." : packet;
    }
}
