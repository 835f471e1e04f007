package io.coredumptools.rsp.inferior;

import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.rsp.reply.Xml;
import java.util.ArrayList;
import java.util.List;

/**
 * The amd64 register set as lldb names and numbers it (lldb-server's layout): rax rbx rcx rdx rdi rsi rbp rsp
 * r8-r15 rip, a 64-bit rflags, 64-bit cs fs gs ss ds es; the 32/16/8-bit parts of the general registers
 * (as value registers of their container); the x87, SSE and AVX registers (ymm whole: xmm plus the upper
 * half); and orig_rax, fs_base, gs_base in a set of their own, so that {@code register read} shows the
 * general registers exactly as lldb shows them for the core file. Served as lldb-style target.xml and as
 * qRegisterInfo. The g packet holds the registers that are not parts of another, in regnum order.
 */
public final class LldbRegisters implements RegisterSet {
    public static final LldbRegisters INSTANCE = new LldbRegisters();

    static final String GPR = "General Purpose Registers";
    static final String FPR = "Floating Point Registers";
    static final String AVX = "Advanced Vector Extensions";
    static final String LINUX = "Linux Registers";

    enum Kind {
        GENERAL,
        RIP,
        RFLAGS,
        SEGMENT,
        X87_CONTROL,
        MXCSR,
        ST,
        XMM,
        YMM,
        ORIG_RAX,
        FS_BASE,
        GS_BASE
    }

    /**
     * One register. {@code index}: which general/segment/st/xmm/ymm/x87-control register; {@code container}:
     * for a part of a general register, its regnum (-1 otherwise), {@code shift}: the byte it starts at.
     */
    record Reg(
            String name,
            int bits,
            Kind kind,
            int index,
            String group,
            int dwarf,
            String generic,
            String encoding,
            String format,
            int container,
            int shift,
            int offset) {}

    private static final List<Reg> REGS = new ArrayList<>();
    private static final int G_BYTES;

    /** lldb's order of the general registers, as indexes into RegisterFile.general (gdb's order). */
    private static final int[] GENERAL_INDEX = {0, 1, 2, 3, 5, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    private static final String[] GENERAL_NAMES = {
        "rax", "rbx", "rcx", "rdx", "rdi", "rsi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"
    };
    private static final int[] GENERAL_DWARF = {0, 3, 2, 1, 5, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final String[] GENERAL_GENERIC = {
        null, null, "arg4", "arg3", "arg1", "arg2", "fp", "sp", "arg5", "arg6", null, null, null, null, null, null
    };
    /** lldb order cs fs gs ss ds es as indexes into RegisterFile.segments (cs ss ds es fs gs). */
    private static final int[] SEGMENT_INDEX = {0, 4, 5, 1, 2, 3};

    private static final String[] SEGMENT_NAMES = {"cs", "fs", "gs", "ss", "ds", "es"};
    private static final int[] SEGMENT_DWARF = {51, 54, 55, 52, 53, 50};

    static {
        int offset = 0;
        for (int i = 0; i < 16; i++) {
            REGS.add(new Reg(
                    GENERAL_NAMES[i],
                    64,
                    Kind.GENERAL,
                    GENERAL_INDEX[i],
                    GPR,
                    GENERAL_DWARF[i],
                    GENERAL_GENERIC[i],
                    "uint",
                    "hex",
                    -1,
                    0,
                    offset));
            offset += 8;
        }
        REGS.add(new Reg("rip", 64, Kind.RIP, 0, GPR, 16, "pc", "uint", "hex", -1, 0, offset));
        offset += 8;
        REGS.add(new Reg("rflags", 64, Kind.RFLAGS, 0, GPR, 49, "flags", "uint", "hex", -1, 0, offset));
        offset += 8;
        for (int i = 0; i < 6; i++) {
            REGS.add(new Reg(
                    SEGMENT_NAMES[i],
                    64,
                    Kind.SEGMENT,
                    SEGMENT_INDEX[i],
                    GPR,
                    SEGMENT_DWARF[i],
                    null,
                    "uint",
                    "hex",
                    -1,
                    0,
                    offset));
            offset += 8;
        }
        String[] e32 = {"eax", "ebx", "ecx", "edx", "edi", "esi", "ebp", "esp"};
        String[] w16 = {"ax", "bx", "cx", "dx", "di", "si", "bp", "sp"};
        String[] l8 = {"al", "bl", "cl", "dl", "dil", "sil", "bpl", "spl"};
        for (int i = 0; i < 16; i++) {
            addPart(i < 8 ? e32[i] : "r" + i + "d", 32, i, 0);
        }
        for (int i = 0; i < 16; i++) {
            addPart(i < 8 ? w16[i] : "r" + i + "w", 16, i, 0);
        }
        String[] h8 = {"ah", "bh", "ch", "dh"};
        for (int i = 0; i < 4; i++) {
            addPart(h8[i], 8, i, 1);
        }
        for (int i = 0; i < 16; i++) {
            addPart(i < 8 ? l8[i] : "r" + i + "l", 8, i, 0);
        }
        String[] x87 = {"fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"};
        int[] x87Dwarf = {65, 66, -1, -1, -1, -1, -1, -1};
        for (int i = 0; i < 8; i++) {
            REGS.add(new Reg(x87[i], 32, Kind.X87_CONTROL, i, FPR, x87Dwarf[i], null, "uint", "hex", -1, 0, offset));
            offset += 4;
        }
        REGS.add(new Reg("mxcsr", 32, Kind.MXCSR, 0, FPR, 64, null, "uint", "hex", -1, 0, offset));
        offset += 4;
        for (int i = 0; i < 8; i++) {
            REGS.add(new Reg("st" + i, 80, Kind.ST, i, FPR, 33 + i, null, "vector", "vector-uint8", -1, 0, offset));
            offset += 10;
        }
        for (int i = 0; i < 16; i++) {
            REGS.add(new Reg("xmm" + i, 128, Kind.XMM, i, FPR, 17 + i, null, "vector", "vector-uint8", -1, 0, offset));
            offset += 16;
        }
        for (int i = 0; i < 16; i++) {
            REGS.add(new Reg("ymm" + i, 256, Kind.YMM, i, AVX, 67 + i, null, "vector", "vector-uint8", -1, 0, offset));
            offset += 32;
        }
        REGS.add(new Reg("orig_rax", 64, Kind.ORIG_RAX, 0, LINUX, -1, null, "uint", "hex", -1, 0, offset));
        offset += 8;
        REGS.add(new Reg("fs_base", 64, Kind.FS_BASE, 0, LINUX, 58, null, "uint", "hex", -1, 0, offset));
        offset += 8;
        REGS.add(new Reg("gs_base", 64, Kind.GS_BASE, 0, LINUX, 59, null, "uint", "hex", -1, 0, offset));
        offset += 8;
        G_BYTES = offset;
    }

    private static void addPart(String name, int bits, int container, int shift) {
        Reg c = REGS.get(container);
        REGS.add(new Reg(
                name,
                bits,
                Kind.GENERAL,
                c.index(),
                GPR,
                -1,
                null,
                "uint",
                "hex",
                container,
                shift,
                c.offset() + shift));
    }

    private LldbRegisters() {}

    @Override
    public int count() {
        return REGS.size();
    }

    public static String name(int regnum) {
        return REGS.get(regnum).name();
    }

    /** The regnum of a register by name, or -1. */
    public static int regnum(String name) {
        for (int i = 0; i < REGS.size(); i++) {
            if (REGS.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int gPacketBytes() {
        return G_BYTES;
    }

    @Override
    public int minimumGBytes() {
        return 24 * 8;
    }

    @Override
    public byte[] read(RegisterFile regs, int regnum) {
        Reg r = reg(regnum);
        if (r.container() >= 0) {
            byte[] whole = read(regs, r.container());
            byte[] part = new byte[r.bits() / 8];
            System.arraycopy(whole, r.shift(), part, 0, part.length);
            return part;
        }
        return switch (r.kind()) {
            case GENERAL -> RegisterLayout.le(regs.general[r.index()], 8);
            case RIP -> RegisterLayout.le(regs.rip, 8);
            case RFLAGS -> RegisterLayout.le(regs.eflags, 8);
            case SEGMENT -> RegisterLayout.le(regs.segments[r.index()], 8);
            case X87_CONTROL -> RegisterLayout.le(regs.x87Control[r.index()], 4);
            case MXCSR -> RegisterLayout.le(regs.mxcsr, 4);
            case ST -> regs.st[r.index()].clone();
            case XMM -> regs.xmm[r.index()].clone();
            case YMM -> {
                byte[] v = new byte[32];
                System.arraycopy(regs.xmm[r.index()], 0, v, 0, 16);
                System.arraycopy(regs.ymmHigh[r.index()], 0, v, 16, 16);
                yield v;
            }
            case ORIG_RAX -> RegisterLayout.le(regs.origRax, 8);
            case FS_BASE -> RegisterLayout.le(regs.fsBase, 8);
            case GS_BASE -> RegisterLayout.le(regs.gsBase, 8);
        };
    }

    @Override
    public void write(RegisterFile regs, int regnum, byte[] value) {
        Reg r = reg(regnum);
        if (value.length != r.bits() / 8) {
            throw new IllegalArgumentException(
                    "register " + r.name() + " takes " + r.bits() / 8 + " bytes, not " + value.length);
        }
        if (r.container() >= 0) {
            byte[] whole = read(regs, r.container());
            System.arraycopy(value, 0, whole, r.shift(), value.length);
            write(regs, r.container(), whole);
            return;
        }
        long v = value.length <= 8 ? RegisterLayout.fromLe(value) : 0;
        switch (r.kind()) {
            case GENERAL -> regs.general[r.index()] = v;
            case RIP -> regs.rip = v;
            case RFLAGS -> regs.eflags = v;
            case SEGMENT -> regs.segments[r.index()] = v;
            case X87_CONTROL -> regs.x87Control[r.index()] = v;
            case MXCSR -> regs.mxcsr = v;
            case ST -> regs.st[r.index()] = value.clone();
            case XMM -> regs.xmm[r.index()] = value.clone();
            case YMM -> {
                byte[] low = new byte[16];
                byte[] high = new byte[16];
                System.arraycopy(value, 0, low, 0, 16);
                System.arraycopy(value, 16, high, 0, 16);
                regs.xmm[r.index()] = low;
                regs.ymmHigh[r.index()] = high;
            }
            case ORIG_RAX -> regs.origRax = v;
            case FS_BASE -> regs.fsBase = v;
            case GS_BASE -> regs.gsBase = v;
            default -> throw new IllegalStateException();
        }
    }

    @Override
    public byte[] readAll(RegisterFile regs) {
        byte[] out = new byte[G_BYTES];
        for (int i = 0; i < REGS.size(); i++) {
            Reg r = REGS.get(i);
            if (r.container() < 0) {
                byte[] v = read(regs, i);
                System.arraycopy(v, 0, out, r.offset(), v.length);
            }
        }
        return out;
    }

    @Override
    public void writeAll(RegisterFile regs, byte[] data) {
        for (int i = 0; i < REGS.size(); i++) {
            Reg r = REGS.get(i);
            if (r.container() >= 0 || r.offset() + r.bits() / 8 > data.length) {
                continue;
            }
            byte[] v = new byte[r.bits() / 8];
            System.arraycopy(data, r.offset(), v, 0, v.length);
            write(regs, i, v);
        }
    }

    @Override
    public int[] expedited() {
        int[] all = new int[24];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    private static Reg reg(int regnum) {
        if (regnum < 0 || regnum >= REGS.size()) {
            throw new IllegalArgumentException("no register " + regnum);
        }
        return REGS.get(regnum);
    }

    /** Registers that change with {@code regnum}: its container and every part of that container. */
    private static List<Integer> invalidates(int regnum) {
        Reg r = REGS.get(regnum);
        int root = r.container() >= 0 ? r.container() : regnum;
        List<Integer> out = new ArrayList<>();
        out.add(root);
        for (int i = 0; i < REGS.size(); i++) {
            if (REGS.get(i).container() == root) {
                out.add(i);
            }
        }
        return out;
    }

    /** The answer to {@code qRegisterInfoN}, as lldb-server writes it ({@code null} past the last register). */
    public static String registerInfo(int regnum) {
        if (regnum < 0 || regnum >= REGS.size()) {
            return null;
        }
        Reg r = REGS.get(regnum);
        StringBuilder s = new StringBuilder();
        s.append("name:")
                .append(r.name())
                .append(";bitsize:")
                .append(r.bits())
                .append(";offset:")
                .append(r.offset())
                .append(";encoding:")
                .append(r.encoding())
                .append(";format:")
                .append(r.format())
                .append(";set:")
                .append(r.group())
                .append(';');
        if (r.dwarf() >= 0) {
            s.append("ehframe:")
                    .append(r.dwarf())
                    .append(";dwarf:")
                    .append(r.dwarf())
                    .append(';');
        }
        if (r.generic() != null) {
            s.append("generic:").append(r.generic()).append(';');
        }
        if (r.container() >= 0) {
            s.append("container-regs:")
                    .append(Integer.toHexString(r.container()))
                    .append(';');
            s.append("invalidate-regs:")
                    .append(String.join(
                            ",",
                            invalidates(regnum).stream()
                                    .map(Integer::toHexString)
                                    .toList()))
                    .append(';');
        }
        return s.toString();
    }

    private static final byte[] TARGET_XML = buildTargetXml();

    /** The target description in lldb's dialect (one feature; offsets, groups and DWARF numbers as attributes). */
    @Override
    public byte[] targetXml() {
        return TARGET_XML;
    }

    private static byte[] buildTargetXml() {
        return Xml.document(true, null, xml -> {
            xml.writeStartElement("target");
            xml.writeAttribute("version", "1.0");
            xml.writeCharacters("\n  ");
            xml.writeStartElement("architecture");
            xml.writeCharacters("x86_64");
            xml.writeEndElement();
            xml.writeCharacters("\n  ");
            xml.writeStartElement("feature");
            for (int i = 0; i < REGS.size(); i++) {
                Reg r = REGS.get(i);
                xml.writeCharacters("\n    ");
                xml.writeEmptyElement("reg");
                xml.writeAttribute("name", r.name());
                xml.writeAttribute("bitsize", Integer.toString(r.bits()));
                xml.writeAttribute("regnum", Integer.toString(i));
                xml.writeAttribute("offset", Integer.toString(r.offset()));
                xml.writeAttribute("encoding", r.encoding());
                xml.writeAttribute("format", r.format());
                xml.writeAttribute("group", r.group());
                if (r.dwarf() >= 0) {
                    xml.writeAttribute("ehframe_regnum", Integer.toString(r.dwarf()));
                    xml.writeAttribute("dwarf_regnum", Integer.toString(r.dwarf()));
                }
                if (r.generic() != null) {
                    xml.writeAttribute("generic", r.generic());
                }
                if (r.container() >= 0) {
                    xml.writeAttribute("value_regnums", Integer.toString(r.container()));
                    xml.writeAttribute(
                            "invalidate_regnums",
                            String.join(
                                    ",",
                                    invalidates(i).stream().map(String::valueOf).toList()));
                }
            }
            xml.writeCharacters("\n  ");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
        });
    }
}
