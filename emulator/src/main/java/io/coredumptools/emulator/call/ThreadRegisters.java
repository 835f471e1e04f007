package io.coredumptools.emulator.call;

import io.coredumptools.elfcore.FpRegisters;
import io.coredumptools.elfcore.GeneralRegisters;
import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.X86Register;

/** Loads a core thread's registers into the engine, as the starting point of a call on that thread. */
final class ThreadRegisters {
    private static final long EFLAGS_RESERVED = 0x2;
    private static final long EFLAGS_IF = 0x200;
    /** Only the exception masks and rounding bits are meaningful to set; the sticky flags start clear. */
    private static final int MXCSR_CONTROL_BITS = 0xffc0;

    private ThreadRegisters() {}

    static void load(Unicorn uc, ThreadState thread) {
        GeneralRegisters r = thread.registers();
        uc.writeRegister(X86Register.RAX, r.rax());
        uc.writeRegister(X86Register.RBX, r.rbx());
        uc.writeRegister(X86Register.RCX, r.rcx());
        uc.writeRegister(X86Register.RDX, r.rdx());
        uc.writeRegister(X86Register.RSI, r.rsi());
        uc.writeRegister(X86Register.RDI, r.rdi());
        uc.writeRegister(X86Register.RBP, r.rbp());
        uc.writeRegister(X86Register.R8, r.r8());
        uc.writeRegister(X86Register.R9, r.r9());
        uc.writeRegister(X86Register.R10, r.r10());
        uc.writeRegister(X86Register.R11, r.r11());
        uc.writeRegister(X86Register.R12, r.r12());
        uc.writeRegister(X86Register.R13, r.r13());
        uc.writeRegister(X86Register.R14, r.r14());
        uc.writeRegister(X86Register.R15, r.r15());
        // The ABI wants DF clear at a call; TF and the arithmetic flags carry no meaning for the callee.
        uc.writeRegister(X86Register.EFLAGS, EFLAGS_RESERVED | EFLAGS_IF);
        uc.writeRegister(X86Register.FS_BASE, r.fsBase());
        uc.writeRegister(X86Register.GS_BASE, r.gsBase());
        if (thread.fpRegisters().isPresent()) {
            FpRegisters fp = thread.fpRegisters().get();
            for (int i = 0; i < 16; i++) {
                uc.writeWideRegister(X86Register.xmm(i), fp.xmm(i));
            }
            uc.writeRegister(X86Register.MXCSR, fp.mxcsr() & MXCSR_CONTROL_BITS);
            uc.writeRegister(X86Register.FPCW, fp.fcw());
        }
    }
}
