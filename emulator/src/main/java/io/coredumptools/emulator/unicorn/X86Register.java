package io.coredumptools.emulator.unicorn;

/** The x86-64 registers we read and write, with their {@code uc_x86_reg} ids (unicorn/x86.h, 2.0.1). */
public enum X86Register {
    RAX(35),
    RBX(37),
    RCX(38),
    RDX(40),
    RSI(43),
    RDI(39),
    RBP(36),
    RSP(44),
    R8(106),
    R9(107),
    R10(108),
    R11(109),
    R12(110),
    R13(111),
    R14(112),
    R15(113),
    RIP(41),
    EFLAGS(25),
    CS(11),
    SS(49),
    DS(17),
    ES(28),
    FS(32),
    GS(33),
    FS_BASE(250),
    GS_BASE(251),
    CR0(50),
    CR4(54),
    MXCSR(249),
    FPCW(246),
    FPSW(31),
    FPTAG(247),
    /** 80-bit x87 registers: read with {@link Unicorn#readWideRegister} (10 bytes). */
    ST0(114),
    ST1(115),
    ST2(116),
    ST3(117),
    ST4(118),
    ST5(119),
    ST6(120),
    ST7(121),
    /** 128-bit vector registers: read with {@link Unicorn#readWideRegister} (16 bytes). */
    XMM0(122),
    XMM1(123),
    XMM2(124),
    XMM3(125),
    XMM4(126),
    XMM5(127),
    XMM6(128),
    XMM7(129),
    XMM8(130),
    XMM9(131),
    XMM10(132),
    XMM11(133),
    XMM12(134),
    XMM13(135),
    XMM14(136),
    XMM15(137);

    private final int id;

    X86Register(int id) {
        this.id = id;
    }

    /** The {@code uc_x86_reg} value. */
    public int id() {
        return id;
    }

    /** Size in bytes of a value of this register as unicorn reads it. */
    public int width() {
        if (name().startsWith("XMM")) {
            return 16;
        }
        if (name().startsWith("ST")) {
            return 10;
        }
        return 8;
    }

    public static X86Register xmm(int index) {
        return valueOf("XMM" + index);
    }
}
