package io.coredumptools.emulator;

import io.coredumptools.elfcore.abi.Signals;

/** Why a call stopped before returning, each with the POSIX signal a live process would have got. */
public enum FaultKind {
    UNMAPPED_READ(Signals.SIGSEGV, "read of unmapped memory"),
    UNMAPPED_WRITE(Signals.SIGSEGV, "write to unmapped memory"),
    UNMAPPED_FETCH(Signals.SIGSEGV, "jump to unmapped memory"),
    PROTECTED_READ(Signals.SIGSEGV, "read of memory without read permission"),
    PROTECTED_WRITE(Signals.SIGSEGV, "write to read-only memory"),
    PROTECTED_FETCH(Signals.SIGSEGV, "jump to non-executable memory"),
    INVALID_INSTRUCTION(Signals.SIGILL, "invalid or unsupported instruction"),
    DIVIDE_ERROR(Signals.SIGFPE, "divide error"),
    BREAKPOINT(Signals.SIGTRAP, "breakpoint (int3)"),
    UNSUPPORTED_SYSCALL(Signals.SIGSYS, "system call the emulator does not support"),
    /** The called code raised a signal itself (abort, raise, kill). */
    SIGNAL_RAISED(Signals.SIGABRT, "the code raised a signal"),
    LOCK_WAIT(Signals.SIGINT, "wait on a lock no thread can release"),
    BUDGET_EXHAUSTED(Signals.SIGINT, "instruction or time budget exhausted"),
    INTERRUPTED(Signals.SIGINT, "interrupted");

    private final int signal;
    private final String description;

    FaultKind(int signal, String description) {
        this.signal = signal;
        this.description = description;
    }

    /** The signal number a live process would have stopped with (SIGINT for budgets and interrupts). */
    public int signal() {
        return signal;
    }

    public String description() {
        return description;
    }
}
