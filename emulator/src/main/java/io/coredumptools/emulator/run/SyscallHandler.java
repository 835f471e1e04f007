package io.coredumptools.emulator.run;

import io.coredumptools.emulator.syscall.SyscallStop;
import io.coredumptools.emulator.unicorn.Unicorn;
import java.util.Optional;

/** What answers the {@code syscall} instruction during a run (the engine has no kernel). */
public interface SyscallHandler {
    /** A run starts: per-run state is forgotten. */
    void onRunStart();

    /** The syscall hook: reads the number and arguments from the engine and answers in rax, or stops the run. */
    void onSyscall(Unicorn uc);

    /** The stop the last system call asked for (it called {@link Unicorn#stop()}), if any; cleared by the call. */
    Optional<SyscallStop> takeStop();

    /** Answers every system call with -ENOSYS: for runs of code that makes none. */
    SyscallHandler NONE = new SyscallHandler() {
        @Override
        public void onRunStart() {}

        @Override
        public void onSyscall(Unicorn uc) {
            uc.writeRegister(io.coredumptools.emulator.unicorn.X86Register.RAX, -38);
        }

        @Override
        public Optional<SyscallStop> takeStop() {
            return Optional.empty();
        }
    };
}
