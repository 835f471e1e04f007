package io.coredumptools.emulator.syscall;

import java.util.Map;

/** Names of x86-64 Linux system calls, for reports. */
final class SyscallNames {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "read"),
            Map.entry(1, "write"),
            Map.entry(2, "open"),
            Map.entry(3, "close"),
            Map.entry(4, "stat"),
            Map.entry(5, "fstat"),
            Map.entry(8, "lseek"),
            Map.entry(9, "mmap"),
            Map.entry(10, "mprotect"),
            Map.entry(11, "munmap"),
            Map.entry(12, "brk"),
            Map.entry(13, "rt_sigaction"),
            Map.entry(14, "rt_sigprocmask"),
            Map.entry(16, "ioctl"),
            Map.entry(20, "writev"),
            Map.entry(24, "sched_yield"),
            Map.entry(25, "mremap"),
            Map.entry(28, "madvise"),
            Map.entry(35, "nanosleep"),
            Map.entry(39, "getpid"),
            Map.entry(56, "clone"),
            Map.entry(57, "fork"),
            Map.entry(59, "execve"),
            Map.entry(60, "exit"),
            Map.entry(62, "kill"),
            Map.entry(96, "gettimeofday"),
            Map.entry(102, "getuid"),
            Map.entry(110, "getppid"),
            Map.entry(186, "gettid"),
            Map.entry(200, "tkill"),
            Map.entry(201, "time"),
            Map.entry(202, "futex"),
            Map.entry(228, "clock_gettime"),
            Map.entry(229, "clock_getres"),
            Map.entry(309, "getcpu"),
            Map.entry(230, "clock_nanosleep"),
            Map.entry(231, "exit_group"),
            Map.entry(234, "tgkill"),
            Map.entry(257, "openat"),
            Map.entry(318, "getrandom"),
            Map.entry(435, "clone3"));

    private SyscallNames() {}

    static String of(long number) {
        return NAMES.getOrDefault((int) number, "syscall " + number);
    }
}
