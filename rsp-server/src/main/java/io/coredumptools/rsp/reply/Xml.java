package io.coredumptools.rsp.reply;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** The XML documents the protocol serves (target.xml, libraries, threads, memory map), through the JDK's writer. */
public final class Xml {
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    /** Writes a document's elements. */
    @FunctionalInterface
    public interface Body {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }

    private Xml() {}

    /** A UTF-8 document: an XML declaration when {@code declared}, then {@code doctype} when not null, then the body. */
    public static byte[] document(boolean declared, String doctype, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter xml = FACTORY.createXMLStreamWriter(out, "UTF-8");
            if (declared) {
                xml.writeStartDocument("1.0");
                xml.writeCharacters("\n");
            }
            if (doctype != null) {
                xml.writeDTD(doctype);
                xml.writeCharacters("\n");
            }
            body.write(xml);
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write an XML document", e);
        }
        return out.toByteArray();
    }

    /** The same as a string (for tests and logs). */
    public static String text(byte[] document) {
        return new String(document, StandardCharsets.UTF_8);
    }
}
