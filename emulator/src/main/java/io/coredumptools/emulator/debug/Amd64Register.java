package io.coredumptools.emulator.debug;

import java.util.List;

/**
 * The amd64 Linux registers in gdb's numbering (the order of gdb's amd64-avx-linux target description, of
 * the g/G packet and of p/P): rax..r15, rip, eflags, cs ss ds es fs gs, st0-7, fctrl..fop, xmm0-15, mxcsr,
 * orig_rax, fs_base, gs_base, ymm0h-ymm15h. 76 registers, 816 bytes. The one definition of this order:
 * {@link RegisterFile#read}/{@link RegisterFile#write} take these, and protocol encoders lay them out.
 */
public enum Amd64Register {
    RAX("rax", 8),
    RBX("rbx", 8),
    RCX("rcx", 8),
    RDX("rdx", 8),
    RSI("rsi", 8),
    RDI("rdi", 8),
    RBP("rbp", 8),
    RSP("rsp", 8),
    R8("r8", 8),
    R9("r9", 8),
    R10("r10", 8),
    R11("r11", 8),
    R12("r12", 8),
    R13("r13", 8),
    R14("r14", 8),
    R15("r15", 8),
    RIP("rip", 8),
    EFLAGS("eflags", 4),
    CS("cs", 4),
    SS("ss", 4),
    DS("ds", 4),
    ES("es", 4),
    FS("fs", 4),
    GS("gs", 4),
    ST0("st0", 10),
    ST1("st1", 10),
    ST2("st2", 10),
    ST3("st3", 10),
    ST4("st4", 10),
    ST5("st5", 10),
    ST6("st6", 10),
    ST7("st7", 10),
    FCTRL("fctrl", 4),
    FSTAT("fstat", 4),
    FTAG("ftag", 4),
    FISEG("fiseg", 4),
    FIOFF("fioff", 4),
    FOSEG("foseg", 4),
    FOOFF("fooff", 4),
    FOP("fop", 4),
    XMM0("xmm0", 16),
    XMM1("xmm1", 16),
    XMM2("xmm2", 16),
    XMM3("xmm3", 16),
    XMM4("xmm4", 16),
    XMM5("xmm5", 16),
    XMM6("xmm6", 16),
    XMM7("xmm7", 16),
    XMM8("xmm8", 16),
    XMM9("xmm9", 16),
    XMM10("xmm10", 16),
    XMM11("xmm11", 16),
    XMM12("xmm12", 16),
    XMM13("xmm13", 16),
    XMM14("xmm14", 16),
    XMM15("xmm15", 16),
    MXCSR("mxcsr", 4),
    ORIG_RAX("orig_rax", 8),
    FS_BASE("fs_base", 8),
    GS_BASE("gs_base", 8),
    YMM0H("ymm0h", 16),
    YMM1H("ymm1h", 16),
    YMM2H("ymm2h", 16),
    YMM3H("ymm3h", 16),
    YMM4H("ymm4h", 16),
    YMM5H("ymm5h", 16),
    YMM6H("ymm6h", 16),
    YMM7H("ymm7h", 16),
    YMM8H("ymm8h", 16),
    YMM9H("ymm9h", 16),
    YMM10H("ymm10h", 16),
    YMM11H("ymm11h", 16),
    YMM12H("ymm12h", 16),
    YMM13H("ymm13h", 16),
    YMM14H("ymm14h", 16),
    YMM15H("ymm15h", 16);

    /** All registers in gdb's order. */
    public static final List<Amd64Register> ALL = List.of(values());

    public static final int COUNT = ALL.size();

    /** Bytes of all registers laid out in order: a full g packet. */
    public static final int TOTAL_BYTES;

    private static final int[] OFFSETS = new int[COUNT];

    static {
        int offset = 0;
        for (Amd64Register r : ALL) {
            OFFSETS[r.ordinal()] = offset;
            offset += r.size;
        }
        TOTAL_BYTES = offset;
    }

    private final String gdbName;
    private final int size;

    Amd64Register(String gdbName, int size) {
        this.gdbName = gdbName;
        this.size = size;
    }

    /** gdb's register number (its position in the target description). */
    public int number() {
        return ordinal();
    }

    public String gdbName() {
        return gdbName;
    }

    /** Size in bytes of the value on the wire. */
    public int size() {
        return size;
    }

    /** Offset in a full g packet. */
    public int offset() {
        return OFFSETS[ordinal()];
    }

    /** @throws IllegalArgumentException when there is no register {@code number} */
    public static Amd64Register byNumber(int number) {
        if (number < 0 || number >= COUNT) {
            throw new IllegalArgumentException("no register " + number + " (amd64 has 0.." + (COUNT - 1) + ")");
        }
        return ALL.get(number);
    }

    /** The general register with index {@code i} in {@link RegisterFile#general} (gdb's order, 0..15). */
    public static Amd64Register general(int i) {
        return byNumber(i);
    }
}
