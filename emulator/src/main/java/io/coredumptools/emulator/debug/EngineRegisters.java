package io.coredumptools.emulator.debug;

import io.coredumptools.emulator.unicorn.RegisterBatch;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.X86Register;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves a {@link RegisterFile} into and out of one engine with one native call each way. What the engine
 * models: the general registers, rip, eflags, the fs/gs bases, x87 (control, status, tags, st0-7), SSE
 * (xmm0-15, mxcsr). What it does not: segment selectors (64-bit user code has fixed ones and unicorn would
 * try to load descriptors), orig_rax, the x87 instruction and operand pointers and the AVX upper halves
 * (unicorn 2.0 runs no AVX): those stay in the file as they were.
 */
public final class EngineRegisters {
    private static final int GENERAL = 0;
    private static final int RIP = 16;
    private static final int EFLAGS = 17;
    private static final int FS_BASE = 18;
    private static final int GS_BASE = 19;
    private static final int FPCW = 20;
    private static final int FPSW = 21;
    private static final int FPTAG = 22;
    private static final int MXCSR = 23;
    private static final int ST = 24;
    private static final int XMM = 32;

    private static final List<X86Register> ORDER = order();

    private final Unicorn uc;
    private final RegisterBatch batch = new RegisterBatch(ORDER);

    public EngineRegisters(Unicorn uc) {
        this.uc = uc;
    }

    private static List<X86Register> order() {
        List<X86Register> order = new ArrayList<>();
        for (int i = 0; i < RegisterFile.GENERAL_COUNT; i++) {
            order.add(X86Register.valueOf(Amd64Register.general(i).name()));
        }
        order.addAll(List.of(
                X86Register.RIP,
                X86Register.EFLAGS,
                X86Register.FS_BASE,
                X86Register.GS_BASE,
                X86Register.FPCW,
                X86Register.FPSW,
                X86Register.FPTAG,
                X86Register.MXCSR));
        for (int i = 0; i < 8; i++) {
            order.add(X86Register.valueOf("ST" + i));
        }
        for (int i = 0; i < 16; i++) {
            order.add(X86Register.xmm(i));
        }
        return List.copyOf(order);
    }

    /** Loads {@code r} into the engine. The trap flag stays out: unicorn would raise debug exceptions. */
    public void load(RegisterFile r) {
        for (int i = 0; i < RegisterFile.GENERAL_COUNT; i++) {
            batch.setLong(GENERAL + i, r.general[i]);
        }
        batch.setLong(RIP, r.rip);
        batch.setLong(EFLAGS, (r.eflags & ~RegisterFile.EFLAGS_TF) | RegisterFile.EFLAGS_RESERVED);
        batch.setLong(FS_BASE, r.fsBase);
        batch.setLong(GS_BASE, r.gsBase);
        batch.setLong(FPCW, r.x87Control[0] & 0xffff);
        batch.setLong(FPSW, r.x87Control[1] & 0xffff);
        batch.setLong(FPTAG, r.x87Control[2] & 0xffff);
        batch.setLong(MXCSR, r.mxcsr & RegisterFile.MXCSR_MASK);
        for (int i = 0; i < 8; i++) {
            batch.setBytes(ST + i, r.st[i]);
        }
        for (int i = 0; i < 16; i++) {
            batch.setBytes(XMM + i, r.xmm[i]);
        }
        uc.writeRegisters(batch);
    }

    /** Reads what the engine holds into {@code r}; what the engine does not model is left as it was. */
    public void store(RegisterFile r) {
        uc.readRegisters(batch);
        for (int i = 0; i < RegisterFile.GENERAL_COUNT; i++) {
            r.general[i] = batch.getLong(GENERAL + i);
        }
        r.rip = batch.getLong(RIP);
        r.eflags = batch.getLong(EFLAGS) & 0xffff_ffffL;
        r.fsBase = batch.getLong(FS_BASE);
        r.gsBase = batch.getLong(GS_BASE);
        r.x87Control[0] = batch.getLong(FPCW) & 0xffff;
        r.x87Control[1] = batch.getLong(FPSW) & 0xffff;
        r.x87Control[2] = batch.getLong(FPTAG) & 0xffff;
        r.mxcsr = batch.getLong(MXCSR) & 0xffff_ffffL;
        for (int i = 0; i < 8; i++) {
            r.st[i] = batch.getBytes(ST + i);
        }
        for (int i = 0; i < 16; i++) {
            r.xmm[i] = batch.getBytes(XMM + i);
        }
    }
}
