package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Request;

/** Answers one type of request. An exception becomes an E reply (see {@link Dispatcher}). */
@FunctionalInterface
public interface Handler<R extends Request> {
    Reply handle(R request, RspSession session) throws Exception;
}
