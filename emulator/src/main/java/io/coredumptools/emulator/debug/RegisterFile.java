package io.coredumptools.emulator.debug;

import io.coredumptools.elfcore.FpRegisters;
import io.coredumptools.elfcore.GeneralRegisters;
import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.emulator.unicorn.Unicorn;
import java.util.Arrays;

/**
 * The registers of one thread: general registers, segment selectors and bases, x87, SSE and the AVX upper
 * halves (from the core's XSAVE area). The one register value type of the emulator: calls start from it,
 * debugger resumes load and store it ({@link EngineRegisters}), and protocol encoders read and write it by
 * {@link Amd64Register} (gdb's numbering, defined once there). Mutable; a debugger session keeps one per thread.
 *
 * <p>The fields stay public for existing encoders; new code reads and writes through {@link #read} and
 * {@link #write}.
 */
public final class RegisterFile {
    /** General registers in gdb's amd64 order: rax rbx rcx rdx rsi rdi rbp rsp r8..r15. */
    public static final int GENERAL_COUNT = 16;

    /** Linux x86-64 user code selector ({@code __USER_CS}). */
    public static final long USER_CS = 0x33;
    /** Linux x86-64 user data and stack selector ({@code __USER_DS}, also ss). */
    public static final long USER_DS = 0x2b;
    /**
     * The MXCSR bits software may set (flags, DAZ, masks, rounding, FZ); the upper half is reserved and
     * writing it raises #GP. Both a call and a resume keep the thread's sticky flags, as a live thread would.
     */
    public static final long MXCSR_MASK = 0xffff;

    static final long EFLAGS_RESERVED = 0x2;
    static final long EFLAGS_TF = 0x100;
    static final long EFLAGS_DF = 0x400;

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
        r.x87Control[0] = 0x37f; // the x87 control word after finit, for a core without NT_PRFPREG
        r.x87Control[2] = 0xffff; // every x87 register empty
        r.mxcsr = 0x1f80; // the MXCSR of a new thread
        thread.fpRegisters().ifPresent(r::loadFxsave);
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
        x87Control[3] = LittleEndian.u16(area, 12); // fiseg (FCS)
        x87Control[4] = LittleEndian.u32(area, 8); // fioff (FIP)
        x87Control[5] = LittleEndian.u16(area, 20); // foseg (FDS)
        x87Control[6] = LittleEndian.u32(area, 16); // fooff (FDP)
        x87Control[7] = LittleEndian.u16(area, 6) & 0x7ff; // fop
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
        long xstateBv = LittleEndian.i64(xsave, XSAVE_HEADER_OFFSET);
        if ((xstateBv & XSTATE_AVX) == 0) {
            return; // the upper halves were in their initial state: zero
        }
        for (int i = 0; i < 16; i++) {
            ymmHigh[i] = Arrays.copyOfRange(xsave, XSAVE_YMM_HI_OFFSET + 16 * i, XSAVE_YMM_HI_OFFSET + 16 * i + 16);
        }
    }

    public long rsp() {
        return general[7];
    }

    public RegisterFile copy() {
        RegisterFile c = new RegisterFile();
        c.copyFrom(this);
        return c;
    }

    /** Makes this file equal to {@code other}. */
    public void copyFrom(RegisterFile other) {
        System.arraycopy(other.general, 0, general, 0, GENERAL_COUNT);
        rip = other.rip;
        eflags = other.eflags;
        System.arraycopy(other.segments, 0, segments, 0, 6);
        fsBase = other.fsBase;
        gsBase = other.gsBase;
        origRax = other.origRax;
        for (int i = 0; i < 8; i++) {
            st[i] = other.st[i].clone();
        }
        System.arraycopy(other.x87Control, 0, x87Control, 0, 8);
        for (int i = 0; i < 16; i++) {
            xmm[i] = other.xmm[i].clone();
            ymmHigh[i] = other.ymmHigh[i].clone();
        }
        mxcsr = other.mxcsr;
    }

    /**
     * The registers a called function starts with on this thread: these, with the direction flag clear (the
     * ABI requires it at every call) and no trap flag. The arguments and the return address are the caller's.
     */
    public RegisterFile forCall() {
        RegisterFile c = copy();
        c.eflags = (eflags & ~(EFLAGS_TF | EFLAGS_DF)) | EFLAGS_RESERVED;
        return c;
    }

    // ---- by register ---------------------------------------------------------------------------------

    /** The value of {@code register} as gdb transfers it: {@link Amd64Register#size()} little-endian bytes. */
    public byte[] read(Amd64Register register) {
        int n = register.number();
        if (n < 16) {
            return LittleEndian.ofLong(general[n]);
        }
        return switch (register) {
            case RIP -> LittleEndian.ofLong(rip);
            case EFLAGS -> LittleEndian.bytes(eflags, 4);
            case CS, SS, DS, ES, FS, GS -> LittleEndian.bytes(segments[n - Amd64Register.CS.number()], 4);
            case ST0, ST1, ST2, ST3, ST4, ST5, ST6, ST7 -> st[n - Amd64Register.ST0.number()].clone();
            case FCTRL, FSTAT, FTAG, FISEG, FIOFF, FOSEG, FOOFF, FOP ->
                LittleEndian.bytes(x87Control[n - Amd64Register.FCTRL.number()], 4);
            case MXCSR -> LittleEndian.bytes(mxcsr, 4);
            case ORIG_RAX -> LittleEndian.ofLong(origRax);
            case FS_BASE -> LittleEndian.ofLong(fsBase);
            case GS_BASE -> LittleEndian.ofLong(gsBase);
            default -> {
                if (n >= Amd64Register.YMM0H.number()) {
                    yield ymmHigh[n - Amd64Register.YMM0H.number()].clone();
                }
                yield xmm[n - Amd64Register.XMM0.number()].clone();
            }
        };
    }

    /**
     * Sets {@code register} from {@link Amd64Register#size()} little-endian bytes.
     *
     * @throws IllegalArgumentException when {@code value} has another length
     */
    public void write(Amd64Register register, byte[] value) {
        if (value.length != register.size()) {
            throw new IllegalArgumentException(
                    "register " + register.gdbName() + " takes " + register.size() + " bytes, not " + value.length);
        }
        int n = register.number();
        long v = value.length <= 8 ? LittleEndian.value(value) : 0;
        if (n < 16) {
            general[n] = v;
            return;
        }
        switch (register) {
            case RIP -> rip = v;
            case EFLAGS -> eflags = v;
            case CS, SS, DS, ES, FS, GS -> segments[n - Amd64Register.CS.number()] = v;
            case ST0, ST1, ST2, ST3, ST4, ST5, ST6, ST7 -> st[n - Amd64Register.ST0.number()] = value.clone();
            case FCTRL, FSTAT, FTAG, FISEG, FIOFF, FOSEG, FOOFF, FOP ->
                x87Control[n - Amd64Register.FCTRL.number()] = v;
            case MXCSR -> mxcsr = v;
            case ORIG_RAX -> origRax = v;
            case FS_BASE -> fsBase = v;
            case GS_BASE -> gsBase = v;
            default -> {
                if (n >= Amd64Register.YMM0H.number()) {
                    ymmHigh[n - Amd64Register.YMM0H.number()] = value.clone();
                } else {
                    xmm[n - Amd64Register.XMM0.number()] = value.clone();
                }
            }
        }
    }

    /** All registers in gdb's order, as one buffer of {@link Amd64Register#TOTAL_BYTES} bytes. */
    public byte[] readAll() {
        byte[] out = new byte[Amd64Register.TOTAL_BYTES];
        for (Amd64Register r : Amd64Register.ALL) {
            System.arraycopy(read(r), 0, out, r.offset(), r.size());
        }
        return out;
    }

    /** Sets the registers {@code data} covers completely (a shorter buffer leaves the rest alone). */
    public void writeAll(byte[] data) {
        for (Amd64Register r : Amd64Register.ALL) {
            if (r.offset() + r.size() > data.length) {
                break;
            }
            write(r, Arrays.copyOfRange(data, r.offset(), r.offset() + r.size()));
        }
    }

    /** The general registers in the core's layout (orig_rax -1: not in a system call), for fault reports. */
    public GeneralRegisters toGeneralRegisters() {
        long[] g = general;
        return new GeneralRegisters(
                g[15],
                g[14],
                g[13],
                g[12],
                g[6],
                g[1],
                g[11],
                g[10],
                g[9],
                g[8],
                g[0],
                g[2],
                g[3],
                g[4],
                g[5],
                -1,
                rip,
                segments[0] == 0 ? USER_CS : segments[0],
                eflags,
                g[7],
                segments[1] == 0 ? USER_DS : segments[1],
                fsBase,
                gsBase,
                segments[2],
                segments[3],
                segments[4],
                segments[5]);
    }

    // ---- the engine ----------------------------------------------------------------------------------

    /**
     * Loads these registers into the engine.
     *
     * @deprecated allocates a register batch per call; an engine's runner keeps an {@link EngineRegisters}
     */
    @Deprecated
    public void loadIntoEngine(Unicorn uc) {
        new EngineRegisters(uc).load(this);
    }

    /**
     * Reads back what the engine changed.
     *
     * @deprecated as {@link #loadIntoEngine}
     */
    @Deprecated
    public void storeFromEngine(Unicorn uc) {
        new EngineRegisters(uc).store(this);
    }
}
