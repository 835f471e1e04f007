package io.coredumptools.emulator.debug;

import io.coredumptools.elfcore.FpRegisters;
import io.coredumptools.elfcore.GeneralRegisters;
import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.X86Register;
import java.util.Arrays;

/**
 * The registers of one thread as a debugger sees and edits them between resumes: general registers,
 * segment selectors and bases, x87, SSE and the AVX upper halves (from the core's XSAVE area). Mutable; a
 * debugger session keeps one per thread.
 */
public final class RegisterFile {
    /** General registers in gdb's amd64 order: rax rbx rcx rdx rsi rdi rbp rsp r8..r15. */
    public static final int GENERAL_COUNT = 16;

    private static final X86Register[] GENERAL = {
        X86Register.RAX,
        X86Register.RBX,
        X86Register.RCX,
        X86Register.RDX,
        X86Register.RSI,
        X86Register.RDI,
        X86Register.RBP,
        X86Register.RSP,
        X86Register.R8,
        X86Register.R9,
        X86Register.R10,
        X86Register.R11,
        X86Register.R12,
        X86Register.R13,
        X86Register.R14,
        X86Register.R15
    };
    /** Offset of the YMM_Hi128 component in the standard (non-compacted) XSAVE layout. */
    private static final int XSAVE_YMM_HI_OFFSET = 576;

    private static final int XSAVE_HEADER_OFFSET = 512;
    private static final long XSTATE_AVX = 1L << 2;

    public final long[] general = new long[GENERAL_COUNT];
    public long rip;
    public long eflags;
    /** cs ss ds es fs gs. */
    public final long[] segments = new long[6];

    public long fsBase;
    public long gsBase;
    public long origRax;
    /** st0..st7, 10 bytes each. */
    public final byte[][] st = new byte[8][10];
    /** fctrl fstat ftag fiseg fioff foseg fooff fop. */
    public final long[] x87Control = new long[8];

    public final byte[][] xmm = new byte[16][16];
    public long mxcsr;
    /** Upper 128 bits of ymm0..ymm15. */
    public final byte[][] ymmHigh = new byte[16][16];

    /** A thread's registers as the core recorded them. */
    public static RegisterFile of(ThreadState thread) {
        RegisterFile r = new RegisterFile();
        GeneralRegisters g = thread.registers();
        long[] values = {
            g.rax(), g.rbx(), g.rcx(), g.rdx(), g.rsi(), g.rdi(), g.rbp(), g.rsp(), g.r8(), g.r9(), g.r10(), g.r11(),
            g.r12(), g.r13(), g.r14(), g.r15()
        };
        System.arraycopy(values, 0, r.general, 0, GENERAL_COUNT);
        r.rip = g.rip();
        r.eflags = g.eflags();
        long[] selectors = {g.cs(), g.ss(), g.ds(), g.es(), g.fs(), g.gs()};
        System.arraycopy(selectors, 0, r.segments, 0, 6);
        r.fsBase = g.fsBase();
        r.gsBase = g.gsBase();
        r.origRax = g.origRax();
        thread.fpRegisters().ifPresent(fp -> r.loadFxsave(fp));
        thread.xstate().ifPresent(r::loadXstate);
        return r;
    }

    private void loadFxsave(FpRegisters fp) {
        byte[] area = fp.fxsave();
        for (int i = 0; i < 8; i++) {
            st[i] = fp.st(i);
        }
        for (int i = 0; i < 16; i++) {
            xmm[i] = fp.xmm(i);
        }
        mxcsr = fp.mxcsr() & 0xffffffffL;
        x87Control[0] = fp.fcw();
        x87Control[1] = fp.fsw();
        x87Control[2] = abridgedTagToFull(area[4] & 0xff);
        x87Control[3] = u16(area, 12); // fiseg (FCS)
        x87Control[4] = u32(area, 8); // fioff (FIP)
        x87Control[5] = u16(area, 20); // foseg (FDS)
        x87Control[6] = u32(area, 16); // fooff (FDP)
        x87Control[7] = u16(area, 6) & 0x7ff; // fop
    }

    /** gdb shows the full 16-bit tag word; FXSAVE keeps one "not empty" bit per register. */
    private static long abridgedTagToFull(int abridged) {
        long full = 0;
        for (int i = 0; i < 8; i++) {
            long tag = (abridged & (1 << i)) != 0 ? 0 : 3; // valid-ish (0) or empty (3)
            full |= tag << (2 * i);
        }
        return full;
    }

    private void loadXstate(byte[] xsave) {
        if (xsave.length < XSAVE_YMM_HI_OFFSET + 256) {
            return;
        }
        long xstateBv = u32(xsave, XSAVE_HEADER_OFFSET) | u32(xsave, XSAVE_HEADER_OFFSET + 4) << 32;
        if ((xstateBv & XSTATE_AVX) == 0) {
            return; // the upper halves were in their initial state: zero
        }
        for (int i = 0; i < 16; i++) {
            ymmHigh[i] = Arrays.copyOfRange(xsave, XSAVE_YMM_HI_OFFSET + 16 * i, XSAVE_YMM_HI_OFFSET + 16 * i + 16);
        }
    }

    private static long u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (u16(b, at) | u16(b, at + 2) << 16) & 0xffffffffL;
    }

    public long rsp() {
        return general[7];
    }

    public RegisterFile copy() {
        RegisterFile c = new RegisterFile();
        System.arraycopy(general, 0, c.general, 0, GENERAL_COUNT);
        c.rip = rip;
        c.eflags = eflags;
        System.arraycopy(segments, 0, c.segments, 0, 6);
        c.fsBase = fsBase;
        c.gsBase = gsBase;
        c.origRax = origRax;
        for (int i = 0; i < 8; i++) {
            c.st[i] = st[i].clone();
        }
        System.arraycopy(x87Control, 0, c.x87Control, 0, 8);
        for (int i = 0; i < 16; i++) {
            c.xmm[i] = xmm[i].clone();
            c.ymmHigh[i] = ymmHigh[i].clone();
        }
        c.mxcsr = mxcsr;
        return c;
    }

    /** Loads these registers into the engine (selectors and orig_rax have no meaning to it and stay out). */
    public void loadIntoEngine(Unicorn uc) {
        for (int i = 0; i < GENERAL_COUNT; i++) {
            uc.writeRegister(GENERAL[i], general[i]);
        }
        uc.writeRegister(X86Register.RIP, rip);
        // TF would make unicorn raise debug exceptions; the arithmetic flags and DF are the program's.
        uc.writeRegister(X86Register.EFLAGS, (eflags & ~0x100L) | 0x2);
        uc.writeRegister(X86Register.FS_BASE, fsBase);
        uc.writeRegister(X86Register.GS_BASE, gsBase);
        for (int i = 0; i < 8; i++) {
            uc.writeWideRegister(X86Register.valueOf("ST" + i), st[i]);
        }
        uc.writeRegister(X86Register.FPCW, x87Control[0]);
        uc.writeRegister(X86Register.FPSW, x87Control[1]);
        for (int i = 0; i < 16; i++) {
            uc.writeWideRegister(X86Register.xmm(i), xmm[i]);
        }
        uc.writeRegister(X86Register.MXCSR, mxcsr & 0xffff);
    }

    /** Reads back what the engine changed. */
    public void storeFromEngine(Unicorn uc) {
        for (int i = 0; i < GENERAL_COUNT; i++) {
            general[i] = uc.readRegister(GENERAL[i]);
        }
        rip = uc.readRegister(X86Register.RIP);
        eflags = uc.readRegister(X86Register.EFLAGS) & 0xffffffffL;
        fsBase = uc.readRegister(X86Register.FS_BASE);
        gsBase = uc.readRegister(X86Register.GS_BASE);
        for (int i = 0; i < 8; i++) {
            st[i] = uc.readWideRegister(X86Register.valueOf("ST" + i));
        }
        x87Control[0] = uc.readRegister(X86Register.FPCW) & 0xffff;
        x87Control[1] = uc.readRegister(X86Register.FPSW) & 0xffff;
        for (int i = 0; i < 16; i++) {
            xmm[i] = uc.readWideRegister(X86Register.xmm(i));
        }
        mxcsr = uc.readRegister(X86Register.MXCSR) & 0xffffffffL;
    }
}
