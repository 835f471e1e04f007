package io.coredumptools.rsp.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.coredumptools.rsp.request.Request.Malformed;
import io.coredumptools.rsp.request.Request.ReadMemory;
import io.coredumptools.rsp.request.Request.WriteMemory;
import io.coredumptools.testkit.fuzz.HangGuard;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Every packet parser, over the packets gdb, gdb/MI and lldb really sent (shared/reference/rsp-traces, extracted
 * by scripts/fuzz/trace-packets.py) with their numbers replaced by edge values, cut, spliced and garbled: a parse
 * never throws (a malformed packet is a {@link Malformed} request with an errno), never hangs, and the ranges it
 * hands on never wrap past the top of the address space nor have a negative length.
 */
public class RequestParserFuzzTest {
    static final List<String> TRACE_PACKETS = tracePackets();
    private static final String[] EDGE_NUMBERS = {
        "",
        "0",
        "1",
        "-1",
        "7fffffff",
        "80000000",
        "ffffffff",
        "100000000",
        "7fffffffffffffff",
        "8000000000000000",
        "ffffffffffffffff",
        "fffffffffffff000",
        "ffffffffffffefff",
        "10000000000000000",
        "zz",
        "0x10"
    };
    private static final HangGuard GUARD = new HangGuard();

    static List<String> tracePackets() {
        try (InputStream in =
                RequestParserFuzzTest.class.getResourceAsStream("/io/coredumptools/rsp/fuzz/client-packets.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)
                    .lines()
                    .filter(l -> !l.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void close() {
        GUARD.close();
    }

    @FuzzTest(maxDuration = "5s")
    void anyPacketParsesToARequestWithSaneRanges(FuzzedDataProvider data) throws Exception {
        fuzzerTestOneInput(data);
    }

    /** The fuzz target, also the entry point of Jazzer's command line for the long runs (scripts/fuzz/jazzer-long). */
    public static void fuzzerTestOneInput(FuzzedDataProvider data) throws Exception {
        String packet = mutate(TRACE_PACKETS.get(data.consumeInt(0, TRACE_PACKETS.size() - 1)), data);
        byte[] payload = packet.getBytes(StandardCharsets.ISO_8859_1);
        GUARD.run(HexFormat.of().formatHex(payload), () -> checkRequest(RequestParser.parse(payload)));
    }

    private static String mutate(String seed, FuzzedDataProvider data) {
        StringBuilder p = new StringBuilder(seed);
        int edits = data.consumeInt(0, 4);
        for (int i = 0; i < edits; i++) {
            switch (data.consumeInt(0, 4)) {
                case 0 -> { // a number (a run of hex digits) becomes an edge value
                    int at = data.consumeInt(0, p.length());
                    int end = at;
                    while (end < p.length() && Character.digit(p.charAt(end), 16) >= 0) {
                        end++;
                    }
                    p.replace(at, end, data.pickValue(EDGE_NUMBERS));
                }
                case 1 -> p.setLength(data.consumeInt(0, p.length()));
                case 2 -> p.insert(data.consumeInt(0, p.length()), data.consumeString(16));
                case 3 ->
                    p.insert(
                            data.consumeInt(0, p.length()),
                            TRACE_PACKETS.get(data.consumeInt(0, TRACE_PACKETS.size() - 1)));
                default -> {
                    return data.consumeRemainingAsAsciiString();
                }
            }
        }
        return p.toString();
    }

    /** What the handlers downstream rely on. */
    static void checkRequest(Request request) {
        assertThat(request).isNotNull();
        if (request instanceof Malformed m) {
            assertThat(m.errno()).isPositive();
            assertThat(m.reason()).isNotBlank();
        } else if (request instanceof ReadMemory r) {
            assertThat(r.length()).isNotNegative();
            assertNoWrap(r.address(), r.length());
        } else if (request instanceof WriteMemory w) {
            assertNoWrap(w.address(), w.data().length);
        } else if (request instanceof Request.XferRead x) {
            // Offsets are unsigned 64-bit on the wire: the handlers refuse a negative one themselves.
            assertThat(x.length()).isNotNegative();
        } else if (request instanceof Request.Pread r) {
            assertThat(r.count()).isNotNegative();
        }
    }

    private static void assertNoWrap(long address, long length) {
        if (length > 0) {
            assertThat(Long.compareUnsigned(address + length - 1, address))
                    .as("range 0x%x+0x%x", address, length)
                    .isNotNegative();
        }
    }
}
