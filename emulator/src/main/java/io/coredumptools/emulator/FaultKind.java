package io.coredumptools.emulator;

/** Why a call stopped before returning, each with the POSIX signal a live process would have got. */
public enum FaultKind {
    UNMAPPED_READ(11, "read of unmapped memory"),
    UNMAPPED_WRITE(11, "write to unmapped memory"),
    UNMAPPED_FETCH(11, "jump to unmapped memory"),
    PROTECTED_READ(11, "read of memory without read permission"),
    PROTECTED_WRITE(11, "write to read-only memory"),
    PROTECTED_FETCH(11, "jump to non-executable memory"),
    INVALID_INSTRUCTION(4, "invalid or unsupported instruction"),
    DIVIDE_ERROR(8, "divide error"),
    BREAKPOINT(5, "breakpoint (int3)"),
    UNSUPPORTED_SYSCALL(31, "system call the emulator does not support"),
    /** The called code raised a signal itself (abort, raise, kill). */
    SIGNAL_RAISED(6, "the code raised a signal"),
    LOCK_WAIT(2, "wait on a lock no thread can release"),
    BUDGET_EXHAUSTED(2, "instruction or time budget exhausted"),
    INTERRUPTED(2, "interrupted");

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
