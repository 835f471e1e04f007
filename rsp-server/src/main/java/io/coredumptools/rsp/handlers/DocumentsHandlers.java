package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.Siginfo;
import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Request.XferRead;
import io.coredumptools.rsp.request.Request.XferWrite;
import io.coredumptools.rsp.target.DocumentsTarget;
import io.coredumptools.rsp.wire.Hex;
import java.nio.charset.StandardCharsets;

/**
 * qXfer objects: target.xml (the client's dialect), auxv, exec-file, libraries-svr4, memory-map, threads, and
 * siginfo (read and write: gdb's call brackets). Each is read in chunks: {@code m} + data while more follows,
 * {@code l} + data for the last.
 */
final class DocumentsHandlers {
    private DocumentsHandlers() {}

    static void register(Dispatcher d) {
        d.on(XferRead.class, DocumentsHandlers::read);
        d.on(XferWrite.class, DocumentsHandlers::write);
    }

    private static Reply read(XferRead request, RspSession session) {
        byte[] document;
        switch (request.object()) {
            case "features" -> {
                if (!request.annex().equals("target.xml")) {
                    return Reply.error(0x00);
                }
                document = RegistersHandlers.encoding(session).targetXml();
            }
            case "auxv" -> document = documents(session).auxv();
            case "exec-file" -> {
                document = documents(session).executablePath().orElse("").getBytes(StandardCharsets.UTF_8);
                if (document.length == 0) {
                    return Reply.error(0x01);
                }
            }
            case "libraries-svr4" -> {
                if (!session.state().lldb()) {
                    document = documents(session).libraries(false);
                } else {
                    document = session.state().lldbLibrariesRead()
                            ? documents(session).librariesForLldbAfterTheFirst()
                            : documents(session).libraries(true);
                    Reply reply = chunk(document, request.offset(), request.length());
                    if (reply instanceof Reply.Binary b && b.head().equals("l")) {
                        session.state().setLldbLibrariesRead();
                    }
                    return reply;
                }
            }
            case "memory-map" -> document = documents(session).memoryMap();
            case "threads" -> document = ThreadsHandlers.threadsXml(session);
            case "osdata" -> {
                document = ExtendedHandlers.osdata(session, request.annex());
                if (document == null) {
                    return Reply.error(0x00);
                }
            }
            case "siginfo" ->
                document = session.target()
                        .siginfo()
                        .orElseThrow()
                        .read(session.state().generalThread(), request.offset());
            default -> {
                return Reply.EMPTY;
            }
        }
        return chunk(document, request.offset(), request.length());
    }

    private static DocumentsTarget documents(RspSession session) {
        return session.target().documents().orElseThrow();
    }

    private static Reply write(XferWrite request, RspSession session) {
        if (!request.object().equals("siginfo")) {
            return Reply.EMPTY;
        }
        long offset = request.offset();
        if (offset < 0 || offset >= Siginfo.SIZE) {
            return Reply.error(0x01);
        }
        session.target().siginfo().orElseThrow().write(session.state().generalThread(), offset, request.data());
        return Reply.text(Hex.number(Math.min(request.data().length, Siginfo.SIZE - offset)));
    }

    /** {@code m}/{@code l} and the part of the document at offset. */
    static Reply chunk(byte[] document, long offset, int length) {
        if (offset < 0 || offset > document.length) {
            return Reply.error(0x01);
        }
        int n = (int) Math.min(Math.min(length, MemoryHandlers.MAX_READ), document.length - offset);
        boolean last = offset + n >= document.length;
        return new Reply.Binary(last ? "l" : "m", document, (int) offset, n);
    }
}
