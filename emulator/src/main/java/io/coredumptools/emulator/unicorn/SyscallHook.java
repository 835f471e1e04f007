package io.coredumptools.emulator.unicorn;

/** Called when the guest executes {@code syscall}; RIP already points after the instruction. */
@FunctionalInterface
public interface SyscallHook {
    void onSyscall(Unicorn unicorn);
}
