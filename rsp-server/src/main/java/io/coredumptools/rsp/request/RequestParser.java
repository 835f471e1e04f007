package io.coredumptools.rsp.request;

import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.rsp.request.Request.*;
import io.coredumptools.rsp.wire.Hex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decodes one packet's payload into its {@link Request}, once. Never throws: a packet that does not parse is a
 * {@link Malformed} request (answered with an E reply), a packet nobody knows an {@link Unknown} one (the
 * empty reply).
 */
public final class RequestParser {
    /** EINVAL, the errno of a malformed packet's reply. */
    static final int EINVAL = 0x16;
    /** E2BIG: a packet longer than PacketSize. */
    static final int E2BIG = 0x07;
    /** The first number of an E reply for a malformed packet, as before the request layer. */
    static final int MALFORMED = 0x01;

    private RequestParser() {}

    /** The request a packet longer than PacketSize stands for. */
    public static Request overlong() {
        return new Malformed("", "longer than PacketSize (" + Feature.PACKET_SIZE + " bytes)", E2BIG);
    }

    public static Request parse(byte[] payload) {
        String p = new String(payload, StandardCharsets.ISO_8859_1);
        try {
            return parse(p);
        } catch (RuntimeException e) {
            // Malformed numbers, missing fields: a parse error of this packet, never of the session.
            return new Malformed(abbreviated(p), e.getMessage() == null ? e.toString() : e.getMessage(), MALFORMED);
        }
    }

    private static Request parse(String p) {
        if (p.isEmpty()) {
            return new Unknown("");
        }
        switch (p.charAt(0)) {
            case 'g':
                return new ReadRegisters(threadSuffix(p));
            case 'G': {
                byte[] data = Hex.decode(withoutSuffix(p).substring(1));
                return new WriteRegisters(data, threadSuffix(p));
            }
            case 'p':
                return new ReadRegister(Hex.parseInt(withoutSuffix(p).substring(1)), threadSuffix(p));
            case 'P': {
                String body = withoutSuffix(p).substring(1);
                int eq = body.indexOf('=');
                require(eq > 0, "P needs N=VALUE");
                return new WriteRegister(
                        Hex.parseInt(body.substring(0, eq)), Hex.decode(body.substring(eq + 1)), threadSuffix(p));
            }
            case 'm':
            case 'x': {
                long[] range = range(p.substring(1));
                return new ReadMemory(range[0], (int) range[1], p.charAt(0) == 'x');
            }
            case 'M': {
                int colon = p.indexOf(':');
                require(colon > 0, "M needs ADDR,LENGTH:DATA");
                long[] range = range(p.substring(1, colon));
                byte[] data = Hex.decode(p.substring(colon + 1));
                require(data.length == range[1], "M: LENGTH says " + range[1] + ", the data has " + data.length);
                return new WriteMemory(range[0], data);
            }
            case 'X': {
                int colon = p.indexOf(':');
                require(colon > 0, "X needs ADDR,LENGTH:DATA");
                long[] range = range(p.substring(1, colon));
                byte[] data = p.substring(colon + 1).getBytes(StandardCharsets.ISO_8859_1);
                require(data.length == range[1], "X: LENGTH says " + range[1] + ", the data has " + data.length);
                return new WriteMemory(range[0], data);
            }
            case 'H': {
                require(p.length() >= 3 && (p.charAt(1) == 'g' || p.charAt(1) == 'c'), "H needs g or c and a thread");
                return new SelectThread(p.charAt(1) == 'g', ThreadId.parse(p.substring(2)));
            }
            case 'T':
                return new ThreadAlive(ThreadId.parse(p.substring(1)));
            case 'Z':
            case 'z':
                return breakpoint(p);
            case '?':
                return p.length() == 1 ? new StopReason() : new Unknown(p);
            case 'c':
            case 's':
                // c[ADDR], s[ADDR]: the address is ignored (gdb never sends one), as before typed requests
                if (p.length() > 1) {
                    Hex.parseLong(p.substring(1));
                }
                return new Resume(List.of(new Resume.Action(p.charAt(0), 0, Optional.empty())));
            case 'C':
            case 'S': {
                String sig = p.substring(1);
                int semi = sig.indexOf(';');
                if (semi >= 0) {
                    Hex.parseLong(sig.substring(semi + 1));
                    sig = sig.substring(0, semi);
                }
                return new Resume(List.of(new Resume.Action(p.charAt(0), Hex.parseInt(sig), Optional.empty())));
            }
            case 'D':
                return new Detach();
            case '!':
                return p.length() == 1 ? new ExtendedMode() : new Unknown(p);
            case 'k':
                return p.length() == 1 ? new Kill(false) : new Unknown(p);
            case '_':
                return allocation(p);
            case 'v':
                return vPacket(p);
            case 'q':
            case 'Q':
            case 'j':
                return query(p);
            default:
                return new Unknown(name(p));
        }
    }

    private static Request vPacket(String p) {
        if (p.equals("vCont?")) {
            return new ResumeActionsSupported();
        }
        if (p.startsWith("vCont;")) {
            List<Resume.Action> actions = new ArrayList<>();
            for (String action : p.substring("vCont;".length()).split(";")) {
                if (action.isEmpty()) {
                    continue;
                }
                int colon = action.indexOf(':');
                String verb = colon < 0 ? action : action.substring(0, colon);
                Optional<ThreadId> thread =
                        colon < 0 ? Optional.empty() : Optional.of(ThreadId.parse(action.substring(colon + 1)));
                char op = verb.charAt(0);
                switch (op) {
                    case 'c', 's', 't' -> {
                        require(verb.length() == 1, "vCont action " + verb);
                        actions.add(new Resume.Action(op, 0, thread));
                    }
                    case 'C', 'S' -> actions.add(new Resume.Action(op, Hex.parseInt(verb.substring(1)), thread));
                    default -> throw new IllegalArgumentException("unknown vCont action '" + verb + "'");
                }
            }
            return new Resume(List.copyOf(actions));
        }
        if (p.startsWith("vAttach;")) {
            return new AttachProcess(Hex.parseInt(p.substring("vAttach;".length())));
        }
        if (p.startsWith("vKill")) {
            return new Kill(true);
        }
        if (p.startsWith("vFile:")) {
            return hostIo(p.substring("vFile:".length()));
        }
        return new Unknown(name(p));
    }

    private static Request hostIo(String rest) {
        int colon = rest.indexOf(':');
        require(colon > 0, "vFile needs an operation");
        String op = rest.substring(0, colon);
        String[] args = rest.substring(colon + 1).split(",", -1);
        return switch (op) {
            case "setfs" -> new SetFs(Hex.parseLong(args[0]));
            case "open" -> {
                require(args.length >= 2, "vFile:open needs PATH,FLAGS[,MODE]");
                yield new Open(path(args[0]), Hex.parseInt(args[1]), args.length > 2 ? Hex.parseInt(args[2]) : 0);
            }
            case "pread" -> {
                require(args.length == 3, "vFile:pread needs FD,COUNT,OFFSET");
                yield new Pread(Hex.parseInt(args[0]), Hex.parseInt(args[1]), Hex.parseLong(args[2]));
            }
            case "pwrite" -> {
                String body = rest.substring(colon + 1);
                int c1 = body.indexOf(',');
                int c2 = body.indexOf(',', c1 + 1);
                require(c1 > 0 && c2 > c1, "vFile:pwrite needs FD,OFFSET,DATA");
                yield new Pwrite(
                        Hex.parseInt(body.substring(0, c1)),
                        Hex.parseLong(body.substring(c1 + 1, c2)),
                        body.substring(c2 + 1).getBytes(StandardCharsets.ISO_8859_1));
            }
            case "close" -> new Close(Hex.parseInt(args[0]));
            case "fstat" -> new Fstat(Hex.parseInt(args[0]));
            case "readlink" -> new Readlink(path(args[0]));
            case "unlink" -> new Unlink(path(args[0]));
            default -> new Unknown("vFile:" + op);
        };
    }

    private static Request query(String p) {
        switch (p) {
            case "qC":
                return new CurrentThread();
            case "qfThreadInfo":
                return new ThreadList(true);
            case "qsThreadInfo":
                return new ThreadList(false);
            case "QStartNoAckMode":
                return new StartNoAckMode();
            case "qHostInfo":
                return new HostInfo();
            case "qProcessInfo":
                return new ProcessInfo();
            case "QEnableErrorStrings":
                return new EnableErrorStrings();
            case "QThreadSuffixSupported":
                return new ThreadSuffixSupported();
            case "QListThreadsInStopReply":
                return new ListThreadsInStopReply();
            case "jThreadsInfo":
                return new ThreadsInfo();
            case "qTStatus":
                return new TraceStatus();
            case "qShlibInfoAddr":
                return new ShlibInfoAddr();
            case "qMemoryRegionInfo":
                return new MemoryRegionInfo(Optional.empty());
            default:
                break;
        }
        if (p.startsWith("qSupported")) {
            return supported(p);
        }
        if (p.startsWith("qXfer:")) {
            return xfer(p);
        }
        if (p.startsWith("qSymbol:")) {
            return new SymbolLookup();
        }
        if (p.startsWith("QPassSignals:") || p.startsWith("QProgramSignals:")) {
            boolean program = p.startsWith("QProgramSignals:");
            List<Integer> signals = new ArrayList<>();
            for (String s : p.substring(p.indexOf(':') + 1).split(";")) {
                if (!s.isEmpty()) {
                    signals.add(Hex.parseInt(s));
                }
            }
            return new SignalList(program, List.copyOf(signals));
        }
        if (p.startsWith("qGetTLSAddr:")) {
            String[] f = p.substring("qGetTLSAddr:".length()).split(",", -1);
            require(f.length == 3, "qGetTLSAddr needs THREAD,OFFSET,LM");
            return new TlsAddress(ThreadId.parse(f[0]), Hex.parseLong(f[1]), Hex.parseLong(f[2]));
        }
        if (p.startsWith("qAttached")) {
            return new Attached();
        }
        if (p.startsWith("qRcmd,")) {
            return new Monitor(new String(Hex.decode(p.substring("qRcmd,".length())), StandardCharsets.UTF_8).strip());
        }
        if (p.startsWith("qThreadStopInfo")) {
            return new ThreadStopInfo(ThreadId.parse(p.substring("qThreadStopInfo".length())));
        }
        if (p.startsWith("qRegisterInfo")) {
            return new RegisterInfo(Hex.parseInt(p.substring("qRegisterInfo".length())));
        }
        if (p.startsWith("QSaveRegisterState")) {
            require(p.length() == "QSaveRegisterState".length() || p.startsWith("QSaveRegisterState;"), p);
            return new SaveRegisterState(threadSuffix(p));
        }
        if (p.startsWith("QRestoreRegisterState:")) {
            String id = p.substring("QRestoreRegisterState:".length());
            int semi = id.indexOf(';');
            return new RestoreRegisterState(Integer.parseInt(semi < 0 ? id : id.substring(0, semi)));
        }
        if (p.startsWith("qMemoryRegionInfo:")) {
            return new MemoryRegionInfo(Optional.of(Hex.parseLong(p.substring("qMemoryRegionInfo:".length()))));
        }
        return new Unknown(name(p));
    }

    private static Request supported(String p) {
        Set<String> client = new HashSet<>();
        int colon = p.indexOf(':');
        if (colon >= 0) {
            for (String f : p.substring(colon + 1).split(";")) {
                if (f.endsWith("+")) {
                    client.add(f.substring(0, f.length() - 1));
                } else if (!f.endsWith("-") && !f.isEmpty()) {
                    client.add(f);
                }
            }
        }
        return new QSupported(Set.copyOf(client));
    }

    /** {@code qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH} and {@code qXfer:OBJECT:write:ANNEX:OFFSET:DATA}. */
    private static Request xfer(String p) {
        String rest = p.substring("qXfer:".length());
        int c1 = rest.indexOf(':');
        require(c1 > 0, "qXfer needs OBJECT:OPERATION");
        String object = rest.substring(0, c1);
        int c2 = rest.indexOf(':', c1 + 1);
        require(c2 > c1, "qXfer needs OBJECT:OPERATION:ANNEX");
        String operation = rest.substring(c1 + 1, c2);
        String args = rest.substring(c2 + 1);
        if (operation.equals("read")) {
            int colon = args.lastIndexOf(':');
            require(colon >= 0, "qXfer read needs ANNEX:OFFSET,LENGTH");
            String[] offLen = args.substring(colon + 1).split(",");
            require(offLen.length == 2, "qXfer read needs OFFSET,LENGTH");
            return new XferRead(object, args.substring(0, colon), Hex.parseLong(offLen[0]), Hex.parseInt(offLen[1]));
        }
        if (operation.equals("write")) {
            int annexEnd = args.indexOf(':');
            require(annexEnd >= 0, "qXfer write needs ANNEX:OFFSET:DATA");
            int dataStart = args.indexOf(':', annexEnd + 1);
            require(dataStart > annexEnd, "qXfer write needs ANNEX:OFFSET:DATA");
            return new XferWrite(
                    object,
                    args.substring(0, annexEnd),
                    Hex.parseLong(args.substring(annexEnd + 1, dataStart)),
                    args.substring(dataStart + 1).getBytes(StandardCharsets.ISO_8859_1));
        }
        return new Unknown("qXfer:" + object + ":" + operation);
    }

    private static Request breakpoint(String p) {
        String body = p.substring(1);
        int semi = body.indexOf(';'); // conditions and commands are not supported: ignored
        if (semi >= 0) {
            body = body.substring(0, semi);
        }
        String[] parts = body.split(",");
        require(parts.length == 3, "Z/z need TYPE,ADDR,KIND");
        return new Breakpoint(
                p.charAt(0) == 'Z', Hex.parseInt(parts[0]), Hex.parseLong(parts[1]), Hex.parseInt(parts[2]));
    }

    private static Request allocation(String p) {
        if (p.startsWith("_M")) {
            String[] parts = p.substring(2).split(",");
            long size = Hex.parseLong(parts[0]);
            String letters = parts.length > 1 ? parts[1] : "rw";
            int perms = (letters.contains("r") ? MemoryProtection.READ : 0)
                    | (letters.contains("w") ? MemoryProtection.WRITE : 0)
                    | (letters.contains("x") ? MemoryProtection.EXEC : 0);
            return new Allocate(size, perms);
        }
        if (p.startsWith("_m")) {
            return new Deallocate(Hex.parseLong(p.substring(2)));
        }
        return new Unknown(name(p));
    }

    /** {@code ADDR,LENGTH}: a range that does not wrap past the top of the address space. */
    private static long[] range(String s) {
        int comma = s.indexOf(',');
        require(comma > 0, "needs ADDR,LENGTH");
        long address = Hex.parseLong(s.substring(0, comma));
        long length = Hex.parseInt(s.substring(comma + 1));
        require(
                length == 0 || Long.compareUnsigned(address + length - 1, address) >= 0,
                "the range 0x" + Long.toHexString(address) + "+0x" + Long.toHexString(length)
                        + " wraps past the end of the address space");
        return new long[] {address, length};
    }

    /** lldb's {@code ;thread:ID;} suffix. */
    private static Optional<ThreadId> threadSuffix(String p) {
        int suffix = p.indexOf(";thread:");
        if (suffix < 0) {
            return Optional.empty();
        }
        String id = p.substring(suffix + ";thread:".length());
        if (id.endsWith(";")) {
            id = id.substring(0, id.length() - 1);
        }
        return Optional.of(ThreadId.parse(id));
    }

    private static String withoutSuffix(String p) {
        int suffix = p.indexOf(";thread:");
        return suffix < 0 ? p : p.substring(0, suffix);
    }

    private static String path(String hex) {
        return new String(Hex.decode(hex), StandardCharsets.UTF_8);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A packet's name for logs and Unknown: up to its first separator. */
    private static String name(String p) {
        int end = p.length();
        for (int i = 1; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == ':' || c == ',' || c == ';') {
                end = i;
                break;
            }
        }
        return abbreviated(p.substring(0, end));
    }

    private static String abbreviated(String p) {
        return p.length() > 60 ? p.substring(0, 60) + "..." : p;
    }
}
