package io.coredumptools.rsp.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.rsp.request.Request.Malformed;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seeds of the packet fuzzers: every packet the real clients sent in the reference traces parses, none is malformed. */
class TracePacketsTest {
    @Test
    void everyPacketARealClientSentParsesToAWellFormedRequest() {
        List<String> packets = RequestParserFuzzTest.TRACE_PACKETS;
        assertThat(packets).hasSizeGreaterThan(400);
        for (String packet : packets) {
            Request request = RequestParser.parse(packet.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(request).as(packet).isNotInstanceOf(Malformed.class);
            RequestParserFuzzTest.checkRequest(request);
        }
    }
}
