package io.coredumptools.rsp.inferior;

import io.coredumptools.elfcore.abi.SiginfoCodes;
import io.coredumptools.elfcore.abi.Signals;
import io.coredumptools.emulator.EmulationFault;
import io.coredumptools.emulator.FaultKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** 128-byte x86-64 {@code siginfo_t} values, as a live thread would have them (qXfer:siginfo:read). */
public final class Siginfo {
    public static final int SIZE = 128;

    private Siginfo() {}

    /** A fault: si_signo, si_code for its kind and si_addr (the faulting data address, or pc). */
    public static byte[] ofFault(EmulationFault fault) {
        FaultKind kind = fault.kind();
        int code = switch (kind) {
            case UNMAPPED_READ, UNMAPPED_WRITE, UNMAPPED_FETCH -> SiginfoCodes.SEGV_MAPERR;
            case PROTECTED_READ, PROTECTED_WRITE, PROTECTED_FETCH -> SiginfoCodes.SEGV_ACCERR;
            case INVALID_INSTRUCTION -> SiginfoCodes.ILL_ILLOPC;
            case DIVIDE_ERROR -> SiginfoCodes.FPE_INTDIV;
            case BREAKPOINT -> SiginfoCodes.SI_KERNEL;
            case UNSUPPORTED_SYSCALL -> SiginfoCodes.SYS_SECCOMP;
            case SIGNAL_RAISED -> SiginfoCodes.SI_TKILL;
            default -> SiginfoCodes.SI_KERNEL; // SIGINT from budget, interrupt, lock wait
        };
        long address = switch (kind) {
            case UNMAPPED_READ, UNMAPPED_WRITE, UNMAPPED_FETCH, PROTECTED_READ, PROTECTED_WRITE, PROTECTED_FETCH ->
                fault.address();
            case INVALID_INSTRUCTION, DIVIDE_ERROR, BREAKPOINT, UNSUPPORTED_SYSCALL -> fault.pc();
            default -> 0;
        };
        return of(fault.signal(), code, address);
    }

    public static byte[] of(int signo, int code, long address) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, signo);
        b.putInt(8, code);
        b.putLong(16, address);
        return b.array();
    }

    /** A signal sent with tgkill by process {@code pid} (how gdbserver's stopped threads look). */
    public static byte[] sentBy(int signo, int pid) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, signo);
        b.putInt(8, SiginfoCodes.SI_TKILL);
        b.putInt(16, pid);
        return b.array();
    }

    public static byte[] trap(int code, long address) {
        return of(Signals.SIGTRAP, code, address);
    }
}
