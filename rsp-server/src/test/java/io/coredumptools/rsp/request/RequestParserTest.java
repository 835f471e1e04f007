package io.coredumptools.rsp.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.rsp.request.Request.*;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each packet's parse into its request, and malformed packets into a typed parse error (never an exception). */
class RequestParserTest {
    private static Request parse(String packet) {
        return RequestParser.parse(packet.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static final Optional<ThreadId> NO_THREAD = Optional.empty();

    @Test
    void qSupportedKeepsTheFeaturesTheClientHas() {
        assertThat(parse("qSupported:multiprocess+;swbreak+;fork-events-;xmlRegisters=i386,arm"))
                .isEqualTo(new QSupported(Set.of("multiprocess", "swbreak", "xmlRegisters=i386,arm")));
        assertThat(parse("qSupported")).isEqualTo(new QSupported(Set.of()));
        assertThat(parse("QStartNoAckMode")).isEqualTo(new StartNoAckMode());
        assertThat(parse("qSymbol::")).isEqualTo(new SymbolLookup());
        assertThat(parse("QPassSignals:e;14;4c")).isEqualTo(new SignalList(false, List.of(0xe, 0x14, 0x4c)));
        assertThat(parse("QProgramSignals:")).isEqualTo(new SignalList(true, List.of()));
    }

    @Test
    void extendedModePacketsBelongToTheExtendedFeature() {
        assertThat(parse("!")).isEqualTo(new ExtendedMode());
        assertThat(parse("vAttach;b40")).isEqualTo(new AttachProcess(0xb40));
        assertThat(parse("vAttach;zz")).isInstanceOf(Malformed.class);
        assertThat(parse("qXfer:osdata:read:processes:0,fff")).isEqualTo(new XferRead("osdata", "processes", 0, 0xfff));
        for (String packet : List.of("!", "vAttach;1", "qXfer:osdata:read::0,10")) {
            assertThat(parse(packet).feature()).as(packet).isEqualTo(Feature.EXTENDED);
        }
    }

    @Test
    void unknownPacketsAreUnknownByName() {
        assertThat(parse("vMustReplyEmpty")).isEqualTo(new Unknown("vMustReplyEmpty"));
        assertThat(parse("qTStatus")).isEqualTo(new TraceStatus());
        assertThat(parse("qTfP")).isEqualTo(new Unknown("qTfP"));
        assertThat(parse("qXfer:foo:bar:x")).isEqualTo(new Unknown("qXfer:foo:bar"));
        assertThat(parse("")).isEqualTo(new Unknown(""));
        assertThat(parse("vFile:chmod:0")).isEqualTo(new Unknown("vFile:chmod"));
    }

    @Test
    void threadPackets() {
        assertThat(parse("Hg0")).isEqualTo(new SelectThread(true, new ThreadId(0, 0)));
        assertThat(parse("Hcp1f.-1")).isEqualTo(new SelectThread(false, new ThreadId(0x1f, -1)));
        assertThat(parse("Tp1f.2a")).isEqualTo(new ThreadAlive(new ThreadId(0x1f, 0x2a)));
        assertThat(parse("qC")).isEqualTo(new CurrentThread());
        assertThat(parse("qfThreadInfo")).isEqualTo(new ThreadList(true));
        assertThat(parse("qsThreadInfo")).isEqualTo(new ThreadList(false));
    }

    @Test
    void registerPacketsWithAndWithoutLldbsThreadSuffix() {
        Optional<ThreadId> t = Optional.of(new ThreadId(0, 0x4a58));
        assertThat(parse("g")).isEqualTo(new ReadRegisters(NO_THREAD));
        assertThat(parse("g;thread:4a58;")).isEqualTo(new ReadRegisters(t));
        assertThat(parse("p10")).isEqualTo(new ReadRegister(16, NO_THREAD));
        assertThat(parse("pc;thread:4a58;")).isEqualTo(new ReadRegister(12, t));
        WriteRegister p = (WriteRegister) parse("P10=0011223344556677;thread:4a58;");
        assertThat(p.regnum()).isEqualTo(16);
        assertThat(p.value()).containsExactly(0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77);
        assertThat(p.thread()).isEqualTo(t);
        WriteRegisters g = (WriteRegisters) parse("G0102");
        assertThat(g.data()).containsExactly(1, 2);
        assertThat(g.thread()).isEmpty();
    }

    @Test
    void memoryPackets() {
        assertThat(parse("m7ffc0000,40")).isEqualTo(new ReadMemory(0x7ffc0000L, 0x40, false));
        assertThat(parse("x0,0")).isEqualTo(new ReadMemory(0, 0, true));
        WriteMemory m = (WriteMemory) parse("M1000,2:c3c3");
        assertThat(m.address()).isEqualTo(0x1000);
        assertThat(m.data()).containsExactly(0xc3, 0xc3);
        WriteMemory x = (WriteMemory) parse("X1000,3:a#b");
        assertThat(x.data()).containsExactly('a', '#', 'b');
        assertThat(((WriteMemory) parse("X1000,0:")).data()).isEmpty();
        assertThat(parse("mffffffffffffffff,1")).isEqualTo(new ReadMemory(-1L, 1, false));
    }

    /** issue 11: a range past the top of the address space is refused at parse, never handed to the emulator. */
    @ParameterizedTest
    @ValueSource(strings = {"Mfffffffffffff000,1001:" + "00", "mfffffffffffff001,1000", "Xffffffffffffefff,2000:ab"})
    void rangesThatWrapAreMalformed(String packet) {
        assertThat(parse(packet)).isInstanceOf(Malformed.class);
    }

    @Test
    void documentsAndSiginfo() {
        assertThat(parse("qXfer:features:read:target.xml:0,fff"))
                .isEqualTo(new XferRead("features", "target.xml", 0, 0xfff));
        assertThat(parse("qXfer:auxv:read::10,20")).isEqualTo(new XferRead("auxv", "", 0x10, 0x20));
        XferWrite w = (XferWrite) parse("qXfer:siginfo:write::0:\u0006\u0000#");
        assertThat(w.object()).isEqualTo("siginfo");
        assertThat(w.offset()).isZero();
        assertThat(w.data()).containsExactly(6, 0, '#');
        assertThat(w.feature()).isEqualTo(Feature.SIGINFO);
        assertThat(parse("qXfer:libraries-svr4:read::0,1").feature()).isEqualTo(Feature.LIBRARIES);
        assertThat(parse("qXfer:threads:read::0,1").feature()).isEqualTo(Feature.THREADS);
    }

    @Test
    void breakpointsIgnoreConditions() {
        assertThat(parse("Z0,555555555100,1")).isEqualTo(new Breakpoint(true, 0, 0x555555555100L, 1));
        assertThat(parse("z2,601040,4;X2,0a")).isEqualTo(new Breakpoint(false, 2, 0x601040, 4));
    }

    @Test
    void resumeActions() {
        assertThat(parse("vCont;c:p1f.2a;s:2b"))
                .isEqualTo(new Resume(List.of(
                        new Resume.Action('c', 0, Optional.of(new ThreadId(0x1f, 0x2a))),
                        new Resume.Action('s', 0, Optional.of(new ThreadId(0, 0x2b))))));
        Resume signal = (Resume) parse("vCont;C06:-1");
        assertThat(signal.actions().get(0).signal()).isEqualTo(6);
        assertThat(parse("c")).isEqualTo(new Resume(List.of(new Resume.Action('c', 0, NO_THREAD))));
        assertThat(parse("S0b")).isEqualTo(new Resume(List.of(new Resume.Action('S', 0xb, NO_THREAD))));
        assertThat(parse("vCont;t").resumes()).isFalse();
        assertThat(parse("vCont;c").resumes()).isTrue();
        assertThat(parse("vCont;c").needsSessionThread()).isTrue();
        assertThat(parse("vCont?")).isEqualTo(new ResumeActionsSupported());
        assertThat(parse("?")).isEqualTo(new StopReason());
    }

    @Test
    void onlyResumingRequestsNeedTheSessionThread() {
        for (String packet : List.of("g", "m0,1", "qSupported", "?", "vCont?", "qRcmd,696e666f", "_M1000,rw", "k")) {
            assertThat(parse(packet).needsSessionThread()).as(packet).isFalse();
        }
    }

    @Test
    void processAndMonitor() {
        assertThat(parse("qAttached:1f")).isEqualTo(new Attached());
        assertThat(parse("qGetTLSAddr:p1f.20,8,7ffff7ffe2e0"))
                .isEqualTo(new TlsAddress(new ThreadId(0x1f, 0x20), 8, 0x7ffff7ffe2e0L));
        assertThat(parse("qGetTLSAddr:20,0,0")).isEqualTo(new TlsAddress(new ThreadId(ThreadId.ANY, 0x20), 0, 0));
        assertThat(parse("qGetTLSAddr:20,0")).isInstanceOf(Malformed.class);
        assertThat(parse("D;1f")).isEqualTo(new Detach());
        assertThat(parse("k")).isEqualTo(new Kill(false));
        assertThat(parse("vKill;1f")).isEqualTo(new Kill(true));
        assertThat(parse("qRcmd,696e666f20")).isEqualTo(new Monitor("info"));
    }

    @Test
    void hostIo() {
        assertThat(parse("vFile:setfs:0")).isEqualTo(new SetFs(0));
        assertThat(parse("vFile:open:2f6574632f706173737764,0,1c0")).isEqualTo(new Open("/etc/passwd", 0, 0x1c0));
        assertThat(parse("vFile:pread:3,1000,20")).isEqualTo(new Pread(3, 0x1000, 0x20));
        Pwrite w = (Pwrite) parse("vFile:pwrite:3,0,a,b");
        assertThat(w.data()).containsExactly('a', ',', 'b');
        assertThat(parse("vFile:close:3")).isEqualTo(new Close(3));
        assertThat(parse("vFile:fstat:3")).isEqualTo(new Fstat(3));
        assertThat(parse("vFile:readlink:2f")).isEqualTo(new Readlink("/"));
        assertThat(parse("vFile:unlink:2f")).isEqualTo(new Unlink("/"));
        assertThat(parse("vFile:open:2f,0").feature()).isEqualTo(Feature.HOST_IO);
    }

    @Test
    void lldbsPackets() {
        Optional<ThreadId> t = Optional.of(new ThreadId(0, 0x4a58));
        assertThat(parse("qHostInfo")).isEqualTo(new HostInfo());
        assertThat(parse("qProcessInfo")).isEqualTo(new ProcessInfo());
        assertThat(parse("QEnableErrorStrings")).isEqualTo(new EnableErrorStrings());
        assertThat(parse("QThreadSuffixSupported")).isEqualTo(new ThreadSuffixSupported());
        assertThat(parse("QListThreadsInStopReply")).isEqualTo(new ListThreadsInStopReply());
        assertThat(parse("qThreadStopInfo4a58")).isEqualTo(new ThreadStopInfo(new ThreadId(0, 0x4a58)));
        assertThat(parse("jThreadsInfo")).isEqualTo(new ThreadsInfo());
        assertThat(parse("qRegisterInfo1a")).isEqualTo(new RegisterInfo(0x1a));
        assertThat(parse("QSaveRegisterState;thread:4a58;")).isEqualTo(new SaveRegisterState(t));
        assertThat(parse("QRestoreRegisterState:3;thread:4a58;")).isEqualTo(new RestoreRegisterState(3));
        assertThat(parse("qMemoryRegionInfo")).isEqualTo(new MemoryRegionInfo(Optional.empty()));
        assertThat(parse("qMemoryRegionInfo:7fff0000")).isEqualTo(new MemoryRegionInfo(Optional.of(0x7fff0000L)));
        assertThat(parse("_M1000,rx")).isEqualTo(new Allocate(0x1000, MemoryProtection.READ | MemoryProtection.EXEC));
        assertThat(parse("_m600000802000")).isEqualTo(new Deallocate(0x600000802000L));
        assertThat(parse("qShlibInfoAddr")).isEqualTo(new ShlibInfoAddr());
        assertThat(parse("qShlibInfoAddr").feature()).isEqualTo(Feature.LLDB);
    }

    /** Malformed input: a typed parse error naming the problem, answered with E01; never an exception. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "mzz,4",
                "m",
                "m10",
                "G123",
                "Gzz",
                "Z0,xyz",
                "Z0,1",
                "vCont;x",
                "vCont;cc",
                "qRcmd,zz",
                "qRcmd,1",
                "P10",
                "Pzz=00",
                "M10,2:00",
                "X10,1:ab",
                "Hx1",
                "H",
                "pq",
                "qXfer:auxv:read::0",
                "qXfer:auxv:read",
                "vFile:pread:3",
                "vFile:open:zz,0",
                "QRestoreRegisterState:x",
                "qRegisterInfoz",
                "_Mzz",
                "m11111111111111111,1",
                "Hgp1.2.3",
                "c12z"
            })
    void malformedPacketsAreTypedParseErrors(String packet) {
        Request request = parse(packet);
        assertThat(request).as(packet).isInstanceOf(Malformed.class);
        Malformed malformed = (Malformed) request;
        assertThat(malformed.reason()).as(packet).isNotBlank();
        assertThat(malformed.errno()).isEqualTo(RequestParser.MALFORMED);
    }

    @Test
    void anOverlongPacketIsMalformedWithE2big() {
        Malformed overlong = (Malformed) RequestParser.overlong();
        assertThat(overlong.errno()).isEqualTo(RequestParser.E2BIG);
        assertThat(overlong.reason()).contains("PacketSize");
    }
}
