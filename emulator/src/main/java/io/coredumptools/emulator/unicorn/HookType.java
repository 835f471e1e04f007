package io.coredumptools.emulator.unicorn;

/** The {@code uc_hook_type} bits we register (unicorn.h). */
final class HookType {
    static final int INTR = 1;
    static final int INSN = 1 << 1;
    static final int CODE = 1 << 2;
    static final int BLOCK = 1 << 3;
    /** UC_HOOK_MEM_READ_UNMAPPED | WRITE_UNMAPPED | FETCH_UNMAPPED | READ_PROT | WRITE_PROT | FETCH_PROT. */
    static final int MEM_INVALID = 1008;
    /** UC_HOOK_MEM_FETCH_PROT. */
    static final int MEM_FETCH_PROT = 1 << 9;

    static final int MEM_READ = 1 << 10;
    static final int MEM_WRITE = 1 << 11;

    /** {@code UC_X86_INS_SYSCALL}, the instruction id for an UC_HOOK_INSN syscall hook. */
    static final int X86_INS_SYSCALL = 699;

    private HookType() {}
}
