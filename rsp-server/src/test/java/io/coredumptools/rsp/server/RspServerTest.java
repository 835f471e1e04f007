package io.coredumptools.rsp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.rsp.inferior.EmulatedTarget;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.rsp.target.MonitorCommands;
import io.coredumptools.rsp.wire.Hex;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server over a socket, packet by packet, as gdb talks to it (without gdb). */
class RspServerTest {
    private static LoadedCore core;
    private static RspServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        CallBudget budget = new CallBudget(0, Duration.ofSeconds(10));
        core = LoadedCore.open(
                Fixtures.get(Fixture.DEMO_PIE).core(),
                EmulatorOptions.defaults().withBudget(budget));
        // The library has no monitor commands of its own (cli's picocli set is tested there): this one shows
        // that a line reaches the plugged-in commands with the session's target, and their text the console.
        MonitorCommands monitor = (line, target) -> switch (line) {
            case "info" -> target.info();
            case "allocate off" -> {
                target.setAllocationAllowed(false);
                yield "allocate off\n";
            }
            default -> "unknown\n";
        };
        server = new RspServer(
                EmulatedTarget.factory(core, budget, true, 100),
                false,
                RspServer.Options.DEFAULTS.withMonitor(monitor));
        port = server.start("127.0.0.1", 0).getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
        core.close();
    }

    /** A minimal RSP client: acks on until QStartNoAckMode, unescapes replies. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        boolean acks = true;

        Client() throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        String ask(String payload) throws IOException {
            byte[] p = payload.getBytes(StandardCharsets.ISO_8859_1);
            int sum = 0;
            for (byte b : p) {
                sum += b & 0xff;
            }
            out.write('$');
            out.write(p);
            out.write(String.format("#%02x", sum & 0xff).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (acks) {
                assertThat(in.read()).isEqualTo('+');
            }
            return read();
        }

        String read() throws IOException {
            int c;
            while ((c = in.read()) != '$') {
                assertThat(c).isNotEqualTo(-1);
            }
            StringBuilder s = new StringBuilder();
            while ((c = in.read()) != '#') {
                if (c == '}') {
                    c = in.read() ^ 0x20;
                }
                s.append((char) c);
            }
            in.read();
            in.read();
            if (acks) {
                out.write('+');
            }
            return s.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void connectsAsGdbDoes() throws Exception {
        try (Client c = new Client()) {
            String features = c.ask("qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+");
            assertThat(features)
                    .contains(
                            "PacketSize=20000",
                            "QStartNoAckMode+",
                            "multiprocess+",
                            "swbreak+",
                            "qXfer:features:read+",
                            "qXfer:siginfo:write+",
                            "qXfer:libraries-svr4:read+");
            assertThat(c.ask("vMustReplyEmpty")).isEmpty();
            assertThat(c.ask("QStartNoAckMode")).isEqualTo("OK");
            c.acks = false;
            assertThat(c.ask("qXfer:features:read:target.xml:0,20000"))
                    .startsWith("l<?xml")
                    .contains("org.gnu.gdb.i386.avx")
                    .doesNotContain("avx512");
            String stop = c.ask("?");
            assertThat(stop).startsWith("T06").contains("thread:p");
            assertThat(c.ask("qfThreadInfo")).matches("mp[0-9a-f]+\\.[0-9a-f]+,p[0-9a-f]+\\.[0-9a-f]+");
            assertThat(c.ask("qsThreadInfo")).isEqualTo("l");
            assertThat(c.ask("g")).hasSize(1632);
            assertThat(c.ask("p10")).hasSize(16);
            String siginfo = c.ask("qXfer:siginfo:read::0,80");
            assertThat(siginfo.charAt(0)).isEqualTo('l');
            assertThat(siginfo.charAt(1)).isEqualTo((char) 6);
            assertThat(c.ask("qXfer:auxv:read::0,1000")).startsWith("l").endsWith("\0".repeat(16));
            assertThat(c.ask("vCont?")).isEqualTo("vCont;c;C;s;S;t");
            assertThat(c.ask("qSymbol::")).isEqualTo("OK");
            // The first qTStatus carries the connect notes as console output (here: the files are this machine's
            // own, so 'set sysroot /' would let gdb read them itself), then the empty reply (no tracepoints).
            String note = c.ask("qTStatus");
            assertThat(note).startsWith("O");
            assertThat(new String(Hex.decode(note.substring(1)), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("'set sysroot /'");
            assertThat(c.read()).isEmpty();
            assertThat(c.ask("qTStatus")).as("once per connection").isEmpty();
        }
    }

    @Test
    void malformedPacketsGetErrorsAndTheSessionGoesOn() throws Exception {
        try (Client c = new Client()) {
            assertThat(c.ask("mzz,4")).startsWith("E");
            assertThat(c.ask("m")).startsWith("E");
            assertThat(c.ask("G12")).startsWith("E");
            assertThat(c.ask("Z0,xyz")).startsWith("E");
            assertThat(c.ask("m0,8")).startsWith("E"); // unmapped
            assertThat(c.ask("vCont;x")).startsWith("E");
            assertThat(c.ask("qRcmd,zz")).startsWith("E");
            assertThat(c.ask("?")).startsWith("T06");
        }
    }

    @Test
    void vFileServesOnlyTheCoresFiles() throws Exception {
        try (Client c = new Client()) {
            assertThat(c.ask("vFile:open:" + Hex.ascii("/etc/passwd") + ",0,0")).isEqualTo("F-1,2");
            assertThat(c.ask("vFile:open:" + Hex.ascii("just probing") + ",0,1c0"))
                    .isEqualTo("F-1,2");
            String exe = c.ask("qXfer:exec-file:read::0,1000").substring(1);
            assertThat(c.ask("vFile:open:" + Hex.ascii(exe) + ",241,1ff")).isEqualTo("F-1,d"); // write: EACCES
            String fd = c.ask("vFile:open:" + Hex.ascii(exe) + ",0,0");
            assertThat(fd).matches("F[0-9a-f]+");
            String head = c.ask("vFile:pread:" + fd.substring(1) + ",4,0");
            assertThat(head).isEqualTo("F4;\u007fELF");
            String stat = c.ask("vFile:fstat:" + fd.substring(1));
            assertThat(stat).startsWith("F40;").hasSize(4 + 64);
            assertThat(c.ask("vFile:close:" + fd.substring(1))).isEqualTo("F0");
            assertThat(c.ask("vFile:close:" + fd.substring(1))).isEqualTo("F-1,9");
        }
    }

    @Test
    void eachConnectionHasItsOwnMemory() throws Exception {
        try (Client a = new Client();
                Client b = new Client()) {
            String stop = a.ask("?");
            String rsp = stop.substring(stop.indexOf("07:") + 3, stop.indexOf("07:") + 19);
            long sp = Long.reverseBytes(Long.parseUnsignedLong(rsp, 16));
            String before = b.ask("m" + Long.toHexString(sp) + ",8");
            assertThat(a.ask("X" + Long.toHexString(sp) + ",4:abcd")).isEqualTo("OK");
            assertThat(a.ask("m" + Long.toHexString(sp) + ",4")).isEqualTo("61626364");
            assertThat(b.ask("m" + Long.toHexString(sp) + ",8")).isEqualTo(before);
        }
    }

    @Test
    void monitorCommandsAnswerOnTheConsole() throws Exception {
        try (Client c = new Client()) {
            String first = c.ask("qRcmd," + Hex.ascii("info"));
            assertThat(first).startsWith("O");
            assertThat(new String(Hex.decode(first.substring(1)), StandardCharsets.UTF_8))
                    .contains("SIGABRT");
            assertThat(c.read()).isEqualTo("OK");
        }
    }

    /**
     * A client that connected as lldb-16 does: no-ack mode before qSupported (lldb's order, which gdb-multiarch
     * may share), then the packets only lldb sends, which switch the session to lldb-server's dialect.
     */
    private static Client lldb() throws IOException {
        Client c = new Client();
        assertThat(c.ask("QStartNoAckMode")).isEqualTo("OK");
        c.acks = false;
        assertThat(c.ask("qSupported:xmlRegisters=i386,arm,mips,arc;multiprocess+;fork-events+;vfork-events+"))
                .contains("QThreadSuffixSupported+", "QListThreadsInStopReply+", "qXfer:libraries-svr4:read+");
        assertThat(c.ask("QThreadSuffixSupported")).isEqualTo("OK");
        assertThat(c.ask("QListThreadsInStopReply")).isEqualTo("OK");
        return c;
    }

    private static String tid(int thread) {
        return Integer.toHexString(core.threads().get(thread).tid());
    }

    @Test
    void lldbsHostAndProcessInfo() throws Exception {
        try (Client c = lldb()) {
            assertThat(c.ask("qHostInfo"))
                    .contains("triple:" + Hex.ascii("x86_64-pc-linux-gnu") + ";", "ptrsize:8;", "endian:little;");
            assertThat(c.ask("qProcessInfo"))
                    .contains(
                            "pid:" + Integer.toHexString(core.pid()) + ";",
                            "ostype:linux;",
                            "triple:" + Hex.ascii("x86_64-pc-linux-gnu"));
            assertThat(c.ask("QEnableErrorStrings")).isEqualTo("OK");
        }
    }

    @Test
    void lldbsStopReplyListsThreadsPcsReasonAndLibraries() throws Exception {
        try (Client c = lldb()) {
            String stop = c.ask("?");
            assertThat(stop)
                    .startsWith("T06thread:p")
                    .contains("threads:" + tid(0) + ",", "thread-pcs:", "reason:signal;", "library:;", "10:", "11:");
            long rip = Long.reverseBytes(Long.parseUnsignedLong(c.ask("p10;thread:" + tid(0) + ";"), 16));
            assertThat(stop).contains("thread-pcs:" + String.format("%016x", rip));
            assertThat(c.ask("qThreadStopInfo" + tid(1)))
                    .startsWith("T00thread:p")
                    .doesNotContain("reason:");
            assertThat(c.ask("jThreadsInfo"))
                    .startsWith("[{")
                    .contains("\"signal\":6", "\"tid\":" + core.threads().get(1).tid());
        }
    }

    /** qRegisterInfo: lldb's numbering, consistent with the g packet; parts of registers have containers. */
    @Test
    void lldbsRegisterDescriptionMatchesItsGPacket() throws Exception {
        try (Client c = lldb()) {
            java.util.Map<String, String[]> regs = new java.util.LinkedHashMap<>();
            int n = 0;
            String info;
            while (!(info = c.ask("qRegisterInfo" + Integer.toHexString(n))).startsWith("E")) {
                java.util.Map<String, String> fields = new java.util.HashMap<>();
                for (String kv : info.split(";")) {
                    fields.put(kv.substring(0, kv.indexOf(':')), kv.substring(kv.indexOf(':') + 1));
                }
                assertThat(regs).doesNotContainKey(fields.get("name"));
                regs.put(fields.get("name"), new String[] {
                    fields.get("offset"),
                    fields.get("bitsize"),
                    fields.get("set"),
                    fields.getOrDefault("generic", ""),
                    fields.getOrDefault("container-regs", "")
                });
                n++;
            }
            assertThat(info).isEqualTo("E45");
            assertThat(regs.keySet())
                    .startsWith("rax", "rbx", "rcx", "rdx", "rdi", "rsi", "rbp", "rsp")
                    .contains("rflags", "eax", "al", "ah", "xmm0", "ymm15", "fs_base", "gs_base", "orig_rax");
            assertThat(regs.get("rip")).containsExactly("128", "64", "General Purpose Registers", "pc", "");
            assertThat(regs.get("rflags")[1]).isEqualTo("64");
            assertThat(regs.get("fs_base")[2]).isNotEqualTo("General Purpose Registers");
            assertThat(regs.get("ah")).containsExactly("1", "8", "General Purpose Registers", "", "0");
            int gBytes = 0;
            for (String[] r : regs.values()) {
                if (r[4].isEmpty()) {
                    gBytes = Math.max(gBytes, Integer.parseInt(r[0]) + Integer.parseInt(r[1]) / 8);
                }
            }
            assertThat(c.ask("g;thread:" + tid(0) + ";")).hasSize(2 * gBytes);
            assertThat(c.ask("qXfer:features:read:target.xml:0,20000")).contains("name=\"rflags\" bitsize=\"64\"");
        }
    }

    @Test
    void lldbsMemoryRegionsBinaryReadsAndAllocations() throws Exception {
        try (Client c = lldb()) {
            long rip = Long.reverseBytes(Long.parseUnsignedLong(c.ask("p10;thread:" + tid(0) + ";"), 16));
            assertThat(c.ask("qMemoryRegionInfo:" + Long.toHexString(rip))).contains("permissions:rx;", "name:");
            assertThat(c.ask("qMemoryRegionInfo:0")).startsWith("start:0;size:").doesNotContain("permissions");
            assertThat(c.ask("x0,0")).isEqualTo("OK");
            assertThat(c.ask("x" + Long.toHexString(rip) + ",2")).hasSize(2);
            String allocated = c.ask("_M1000,rx");
            long page = Long.parseUnsignedLong(allocated, 16);
            assertThat(c.ask("qMemoryRegionInfo:" + allocated))
                    .isEqualTo("start:" + allocated + ";size:1000;permissions:rx;");
            assertThat(c.ask("M" + allocated + ",2:c3c3")).isEqualTo("OK");
            assertThat(c.ask("m" + allocated + ",2")).isEqualTo("c3c3");
            assertThat(c.ask("_m" + Long.toHexString(page + 1))).startsWith("E");
            assertThat(c.ask("_m" + allocated)).isEqualTo("OK");
            assertThat(c.ask("qMemoryRegionInfo:" + allocated)).doesNotContain("permissions");
        }
    }

    /**
     * One reply holds what the clients ask per packet: gdb asks {@code m addr,10000} with PacketSize=20000, lldb
     * {@code x addr,1ffc6} (131,002 bytes); a smaller cap costs each of them a second round trip per request.
     */
    @Test
    void readsAreAsLargeAsGdbAndLldbAskFor() throws Exception {
        try (Client c = lldb()) {
            long rip = Long.reverseBytes(Long.parseUnsignedLong(c.ask("p10;thread:" + tid(0) + ";"), 16));
            String region = c.ask("qMemoryRegionInfo:" + Long.toHexString(rip));
            long start = Long.parseUnsignedLong(region.replaceAll(".*start:([0-9a-f]+);.*", "$1"), 16);
            long size = Long.parseUnsignedLong(region.replaceAll(".*size:([0-9a-f]+);.*", "$1"), 16);
            assertThat(size)
                    .as("libc's text, where the abort stopped: " + region)
                    .isGreaterThanOrEqualTo(0x20000);
            String address = Long.toHexString(start);
            String binary = c.ask("x" + address + ",1ffc6");
            assertThat(binary).hasSize(131_002);
            String hex = c.ask("m" + address + ",10000");
            assertThat(hex).hasSize(0x20000);
            assertThat(Hex.decode(hex)).isEqualTo(binary.substring(0, 0x10000).getBytes(StandardCharsets.ISO_8859_1));
            assertThat(c.ask("m" + address + ",20000"))
                    .as("m is capped at PacketSize / 2")
                    .hasSize(0x20000);
        }
    }

    /** The library list for lldb: no main-lm, the program first; and where r_debug's pointer lives. */
    @Test
    void lldbsLibraryListAndRDebugPointer() throws Exception {
        try (Client c = lldb()) {
            assertThat(c.ask("qXfer:libraries-svr4:read::0,20000"))
                    .doesNotContain("main-lm")
                    .contains(
                            "<library name=\"" + Fixtures.get(Fixture.DEMO_PIE).program());
            assertThat(c.ask("qShlibInfoAddr")).matches("[0-9a-f]+");
        }
    }

    @Test
    void lldbsRegisterStateIsSavedAndRestoredOnce() throws Exception {
        try (Client c = lldb()) {
            String pc = c.ask("p10;thread:" + tid(0) + ";");
            String id = c.ask("QSaveRegisterState;thread:" + tid(0) + ";");
            assertThat(id).isEqualTo("1");
            assertThat(c.ask("P10=0000000000000000;thread:" + tid(0) + ";")).isEqualTo("OK");
            assertThat(c.ask("p10;thread:" + tid(0) + ";")).isEqualTo("0000000000000000");
            assertThat(c.ask("QRestoreRegisterState:" + id + ";thread:" + tid(0) + ";"))
                    .isEqualTo("OK");
            assertThat(c.ask("p10;thread:" + tid(0) + ";")).isEqualTo(pc);
            assertThat(c.ask("QRestoreRegisterState:" + id + ";thread:" + tid(0) + ";"))
                    .startsWith("E");
        }
    }

    /** lldb waits for an answer to k (lldb-server sends the exit status); gdb gets none, as from gdbserver. */
    @Test
    void killAnswersLldbWithAnExitStatus() throws Exception {
        try (Client c = lldb()) {
            assertThat(c.ask("k")).isEqualTo("X09");
            assertThat(c.in.read()).as("then the connection closes").isEqualTo(-1);
        }
    }

    @Test
    void allocationPacketsCanBeTurnedOff() throws Exception {
        try (Client c = new Client()) {
            assertThat(c.ask("_M1000,rw")).matches("[0-9a-f]+");
            String said = c.ask("qRcmd," + Hex.ascii("allocate off"));
            assertThat(new String(Hex.decode(said.substring(1)), StandardCharsets.UTF_8))
                    .isEqualTo("allocate off\n");
            assertThat(c.read()).isEqualTo("OK");
            assertThat(c.ask("_M1000,rw")).isEmpty(); // unsupported: lldb calls mmap instead
        }
    }

    /** gdb-multiarch's qSupported lists arm and mips in xmlRegisters; with no-ack mode asked first it is still gdb. */
    @Test
    void gdbMultiarchAskingForNoAckFirstStillGetsGdbsDialect() throws Exception {
        try (Client c = new Client()) {
            assertThat(c.ask("QStartNoAckMode")).isEqualTo("OK");
            c.acks = false;
            assertThat(c.ask("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;"
                            + "exec-events+;vContSupported+;QThreadEvents+;no-resumed+;memory-tagging+;"
                            + "xmlRegisters=i386,arm,mips,aarch64,powerpc,s390"))
                    .contains("PacketSize=20000", "multiprocess+");
            String xml = c.ask("qXfer:features:read:target.xml:0,fff");
            assertThat(xml)
                    .hasSize(1 + 0xfff)
                    .startsWith("m<?xml")
                    .contains("<feature name=\"org.gnu.gdb.i386.core\">", "<reg name=\"eflags\" bitsize=\"32\"")
                    .doesNotContain("rflags", "regnum=\"0\" offset=");
            io.coredumptools.elfcore.ThreadState thread = core.threads().get(0);
            io.coredumptools.elfcore.GeneralRegisters regs = thread.registers();
            assertThat(c.ask("?"))
                    .isEqualTo("T06"
                            + "06:" + String.format("%016x", Long.reverseBytes(regs.rbp())) + ";"
                            + "07:" + String.format("%016x", Long.reverseBytes(regs.rsp())) + ";"
                            + "10:" + String.format("%016x", Long.reverseBytes(regs.rip())) + ";"
                            + "thread:p" + Integer.toHexString(core.pid()) + "." + Integer.toHexString(thread.tid())
                            + ";core:0;");
            assertThat(c.ask("g")).hasSize(1632); // gdb's register layout, not lldb's
        }
    }

    @Test
    void vFileRefusesHostFilesTheCoreDoesNotReferTo() throws Exception {
        try (Client c = new Client()) {
            String exe = c.ask("qXfer:exec-file:read::0,1000").substring(1);
            String dir = exe.substring(0, exe.lastIndexOf('/'));
            String upToRoot =
                    dir + "/..".repeat((int) dir.chars().filter(ch -> ch == '/').count());
            for (String path : new String[] {
                "/etc/passwd",
                "/proc/self/environ",
                "/proc/self/maps",
                "/proc/" + core.pid() + "/cwd", // not in a core
                "/proc/" + core.pid() + "/mem",
                "/proc/" + core.pid() + "/../self/maps",
                upToRoot + "/etc/passwd",
                "/usr/lib/debug/../../../etc/passwd",
                exe + "/../../etc/passwd"
            }) {
                assertThat(c.ask("vFile:open:" + Hex.ascii(path) + ",0,0"))
                        .as(path)
                        .isEqualTo("F-1,2");
                assertThat(c.ask("vFile:readlink:" + Hex.ascii(path))).as(path).isEqualTo("F-1,2");
            }
            // the core's own maps (generated from it) still open
            String fd = c.ask("vFile:open:" + Hex.ascii("/proc/" + core.pid() + "/maps") + ",0,0");
            assertThat(fd).isEqualTo("F3");
            String maps = c.ask("vFile:pread:3,1000,0");
            assertThat(maps)
                    .matches("(?s)F[0-9a-f]+;[0-9a-f]+-[0-9a-f]+ r[-w][-x]p .*")
                    .contains(exe);
            assertThat(c.ask("vFile:close:3")).isEqualTo("F0");
        }
    }

    @Test
    void freeingMemoryAllocateDidNotGiveIsRefused() throws Exception {
        try (Client c = new Client()) {
            String stop = c.ask("?");
            String pc = stop.substring(stop.indexOf(";10:") + 4, stop.indexOf(";10:") + 20);
            long rip = Long.reverseBytes(Long.parseUnsignedLong(pc, 16));
            String text = c.ask("qMemoryRegionInfo:" + Long.toHexString(rip));
            String textStart = text.substring("start:".length(), text.indexOf(';'));
            String code = c.ask("m" + textStart + ",10");
            assertThat(code).hasSize(32);
            String first = c.ask("_M1000,rw");
            String second = c.ask("_M2000,rx");
            assertThat(first).matches("[0-9a-f]+");
            assertThat(second).matches("[0-9a-f]+").isNotEqualTo(first);
            long secondAddress = Long.parseUnsignedLong(second, 16);

            assertThat(c.ask("_m" + textStart)).isEqualTo("E16"); // the core's own memory
            assertThat(c.ask("_m" + Long.toHexString(rip))).isEqualTo("E16");
            assertThat(c.ask("_m0")).isEqualTo("E16"); // unmapped
            assertThat(c.ask("_m" + Long.toHexString(secondAddress + 0x1000))).isEqualTo("E16"); // inside one
            assertThat(c.ask("m" + textStart + ",10")).isEqualTo(code);
            assertThat(c.ask("M" + second + ",2:c3c3")).isEqualTo("OK");
            assertThat(c.ask("m" + second + ",2")).isEqualTo("c3c3");

            assertThat(c.ask("_m" + second)).isEqualTo("OK");
            assertThat(c.ask("m" + second + ",2")).isEqualTo("E0e");
            assertThat(c.ask("_m" + second)).isEqualTo("E16"); // twice
            assertThat(c.ask("_m" + first)).isEqualTo("OK");
        }
    }

    @Test
    void allocationsStopAtOneGibibyteAndTheSessionGoesOn() throws Exception {
        try (Client c = new Client()) {
            assertThat(c.ask("_M40001000,rw")).isEqualTo("E01"); // more than 1 GiB at once
            String big = c.ask("_M3ff00000,rw"); // 1 GiB − 1 MiB
            assertThat(big).matches("[0-9a-f]+");
            String small = c.ask("_M100000,rw"); // exactly to the cap
            assertThat(small).matches("[0-9a-f]+");
            assertThat(c.ask("_M1,rw")).isEqualTo("E01"); // one page beyond it
            assertThat(c.ask("?")).startsWith("T06");
            assertThat(c.ask("_m" + small)).isEqualTo("OK");
            String again = c.ask("_M1000,rw"); // room again once freed
            assertThat(again).matches("[0-9a-f]+");
            assertThat(c.ask("_M100000,rw")).isEqualTo("E01");
            assertThat(c.ask("_m" + big)).isEqualTo("OK");
            assertThat(c.ask("_m" + again)).isEqualTo("OK");
            assertThat(c.ask("_M40000000,rw")).matches("[0-9a-f]+"); // all of it, once all is free
            assertThat(c.ask("?")).startsWith("T06");
        }
    }
}
