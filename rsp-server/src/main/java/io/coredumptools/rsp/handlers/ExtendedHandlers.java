package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.reply.Xml;
import io.coredumptools.rsp.request.Request.AttachProcess;
import io.coredumptools.rsp.request.Request.ExtendedMode;
import io.coredumptools.rsp.target.CatalogTarget;
import io.coredumptools.rsp.target.Target;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * gdb's extended-remote over a catalog of cores: {@code !} (OK), {@code vAttach;PID} (opens that core as the
 * session's target and answers its stop, as gdbserver --multi does) and the qXfer:osdata documents (the list of
 * types, and "processes": one item per core, with the columns gdbserver has plus the signal).
 */
final class ExtendedHandlers {
    private ExtendedHandlers() {}

    static void register(Dispatcher d) {
        d.on(ExtendedMode.class, (r, s) -> Reply.OK);
        d.on(AttachProcess.class, ExtendedHandlers::attach);
    }

    private static Reply attach(AttachProcess request, RspSession session) {
        CatalogTarget.Process process = listing(session).stream()
                .filter(p -> p.pid() == request.pid())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no core with pid " + request.pid()));
        Target target = session.catalog().orElseThrow().open(process);
        session.attach(target);
        session.state().resetThreads();
        return StopReplies.initial(session);
    }

    /** The osdata document of {@code annex}, or null when there is no such type. */
    static byte[] osdata(RspSession session, String annex) {
        switch (annex) {
            case "" -> {
                return Xml.document(true, "<!DOCTYPE target SYSTEM \"osdata.dtd\">", xml -> {
                    xml.writeStartElement("osdata");
                    xml.writeAttribute("type", "types");
                    item(xml, new String[][] {
                        {"Type", "processes"}, {"Description", "Listing of all processes"}, {"Title", "Processes"}
                    });
                    xml.writeEndElement();
                });
            }
            case "processes" -> {
                return processes(listing(session));
            }
            default -> {
                return null;
            }
        }
    }

    /** The catalog as this connection first saw it (listing reads every core's notes: once per connection). */
    private static List<CatalogTarget.Process> listing(RspSession session) {
        SessionState state = session.state();
        if (state.catalogListing() == null) {
            state.setCatalogListing(session.catalog().orElseThrow().list());
        }
        return state.catalogListing();
    }

    private static byte[] processes(List<CatalogTarget.Process> processes) {
        return Xml.document(true, "<!DOCTYPE target SYSTEM \"osdata.dtd\">", xml -> {
            xml.writeStartElement("osdata");
            xml.writeAttribute("type", "processes");
            for (CatalogTarget.Process p : processes) {
                item(xml, new String[][] {
                    {"pid", Integer.toString(p.pid())},
                    {"user", ""},
                    {"command", p.command()},
                    {"signal", Integer.toString(p.signal())},
                    {"core", p.location()}
                });
            }
            xml.writeEndElement();
        });
    }

    private static void item(XMLStreamWriter xml, String[][] columns) throws XMLStreamException {
        xml.writeCharacters("\n");
        xml.writeStartElement("item");
        for (String[] column : columns) {
            xml.writeStartElement("column");
            xml.writeAttribute("name", column[0]);
            xml.writeCharacters(column[1]);
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }
}
