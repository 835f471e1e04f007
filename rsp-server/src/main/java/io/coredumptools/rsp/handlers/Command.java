package io.coredumptools.rsp.handlers;

/** Answers one packet. Any exception becomes an {@code E01} reply (a malformed packet never ends a session). */
@FunctionalInterface
public interface Command {
    Reply handle(String packet, RspSession session) throws Exception;
}
