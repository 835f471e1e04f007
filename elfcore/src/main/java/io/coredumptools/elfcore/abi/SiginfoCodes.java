package io.coredumptools.elfcore.abi;

/** si_code values of siginfo_t (asm-generic/siginfo.h) for the stops the emulator reports. */
public final class SiginfoCodes {
    public static final int SI_USER = 0;
    public static final int SI_KERNEL = 0x80;
    public static final int SI_TKILL = -6;
    public static final int SEGV_MAPERR = 1;
    public static final int SEGV_ACCERR = 2;
    public static final int BUS_ADRERR = 2;
    public static final int ILL_ILLOPC = 1;
    public static final int FPE_INTDIV = 1;
    public static final int TRAP_BRKPT = 1;
    public static final int TRAP_TRACE = 2;
    public static final int TRAP_HWBKPT = 4;
    public static final int SYS_SECCOMP = 1;

    private SiginfoCodes() {}
}
