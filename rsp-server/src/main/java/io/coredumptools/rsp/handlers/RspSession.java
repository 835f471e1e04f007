package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.request.Feature;
import io.coredumptools.rsp.target.CatalogTarget;
import io.coredumptools.rsp.target.MonitorCommands;
import io.coredumptools.rsp.target.Target;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/** What handlers see of a connection: its protocol state, its target, its console. */
public interface RspSession {
    SessionState state();

    /** The session's target, made on first use (not before the first reply: qSupported does not need it). */
    Target target();

    /** The target if it was made already (kill and detach do not make one). */
    Optional<Target> existingTarget();

    /** The features this session offers (qSupported lists theirs; other requests get the empty reply). */
    Set<Feature> features();

    /** Text for the client's console, as O packets sent before the current reply (capped per request). */
    void console(byte[] text);

    default void console(String text) {
        console(text.getBytes(StandardCharsets.UTF_8));
    }

    MonitorCommands monitorCommands();

    /** Whether the client connected from this machine (loopback): files at their recorded paths are its files too. */
    default boolean clientIsLocal() {
        return false;
    }

    /** The catalog of cores this session may attach to ({@code serve --catalog}), if any. */
    default Optional<CatalogTarget> catalog() {
        return Optional.empty();
    }

    /** Makes {@code target} the session's process (catalog sessions; a previous one is closed first). */
    default void attach(Target target) {
        throw new UnsupportedOperationException("not a catalog session");
    }

    /** Closes the session's process and goes back to having none (catalog sessions). */
    default void detachProcess() {
        throw new UnsupportedOperationException("not a catalog session");
    }

    /** Acks stop after the current reply. */
    void disableAcks();

    /** The connection closes once the reply (if any) is sent. */
    void closeAfterReply();
}
