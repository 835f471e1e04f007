package io.coredumptools.elfcore.dwarf;

import java.util.List;

/** The registers the System V AMD64 calling convention passes arguments and results in. */
public enum SysVRegister {
    RDI,
    RSI,
    RDX,
    RCX,
    R8,
    R9,
    RAX,
    XMM0,
    XMM1,
    XMM2,
    XMM3,
    XMM4,
    XMM5,
    XMM6,
    XMM7,
    /** The top of the x87 register stack: a {@code long double} result. */
    ST0,
    /** The x87 register below the top: the imaginary part of a {@code complex long double} result. */
    ST1;

    /** General-purpose argument registers, in the order arguments take them. */
    public static final List<SysVRegister> INTEGER_ARGUMENTS = List.of(RDI, RSI, RDX, RCX, R8, R9);

    /** Vector argument registers, in order. */
    public static final List<SysVRegister> VECTOR_ARGUMENTS = List.of(XMM0, XMM1, XMM2, XMM3, XMM4, XMM5, XMM6, XMM7);

    /** General-purpose result registers, in order. */
    public static final List<SysVRegister> INTEGER_RESULTS = List.of(RAX, RDX);

    /** Vector result registers, in order. */
    public static final List<SysVRegister> VECTOR_RESULTS = List.of(XMM0, XMM1);

    /** gdb's name for the register, e.g. "rdi", "xmm0", "st0". */
    public String gdbName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
