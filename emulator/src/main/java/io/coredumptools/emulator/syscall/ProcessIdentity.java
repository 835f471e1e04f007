package io.coredumptools.emulator.syscall;

/** The ids getpid/getppid/gettid answer with: those of the crashed process and the calling thread. */
public record ProcessIdentity(int pid, int ppid, int tid) {}
