package io.coredumptools.elfcore.abi;

import java.util.Map;

/** x86-64 Linux system call numbers (asm/unistd_64.h) and their names, for emulation and reports. */
public final class Syscalls {
    public static final int READ = 0;
    public static final int WRITE = 1;
    public static final int OPEN = 2;
    public static final int CLOSE = 3;
    public static final int STAT = 4;
    public static final int FSTAT = 5;
    public static final int LSTAT = 6;
    public static final int POLL = 7;
    public static final int LSEEK = 8;
    public static final int MMAP = 9;
    public static final int MPROTECT = 10;
    public static final int MUNMAP = 11;
    public static final int BRK = 12;
    public static final int RT_SIGACTION = 13;
    public static final int RT_SIGPROCMASK = 14;
    public static final int IOCTL = 16;
    public static final int PREAD64 = 17;
    public static final int READV = 19;
    public static final int WRITEV = 20;
    public static final int ACCESS = 21;
    public static final int SCHED_YIELD = 24;
    public static final int MREMAP = 25;
    public static final int MADVISE = 28;
    public static final int NANOSLEEP = 35;
    public static final int GETPID = 39;
    public static final int CLONE = 56;
    public static final int FORK = 57;
    public static final int VFORK = 58;
    public static final int EXECVE = 59;
    public static final int EXIT = 60;
    public static final int KILL = 62;
    public static final int UNAME = 63;
    public static final int FCNTL = 72;
    public static final int GETCWD = 79;
    public static final int READLINK = 89;
    public static final int GETTIMEOFDAY = 96;
    public static final int GETRLIMIT = 97;
    public static final int GETUID = 102;
    public static final int GETGID = 104;
    public static final int GETEUID = 107;
    public static final int GETEGID = 108;
    public static final int GETPPID = 110;
    public static final int SIGALTSTACK = 131;
    public static final int ARCH_PRCTL = 158;
    public static final int GETTID = 186;
    public static final int TKILL = 200;
    public static final int TIME = 201;
    public static final int FUTEX = 202;
    public static final int SCHED_GETAFFINITY = 204;
    public static final int SET_TID_ADDRESS = 218;
    public static final int CLOCK_GETTIME = 228;
    public static final int CLOCK_GETRES = 229;
    public static final int CLOCK_NANOSLEEP = 230;
    public static final int EXIT_GROUP = 231;
    public static final int TGKILL = 234;
    public static final int OPENAT = 257;
    public static final int NEWFSTATAT = 262;
    public static final int READLINKAT = 267;
    public static final int FACCESSAT = 269;
    public static final int SET_ROBUST_LIST = 273;
    public static final int PRLIMIT64 = 302;
    public static final int GETCPU = 309;
    public static final int GETRANDOM = 318;
    public static final int STATX = 332;
    public static final int RSEQ = 334;
    public static final int CLONE3 = 435;
    public static final int FACCESSAT2 = 439;
    public static final int SYSINFO = 99;
    public static final int PRCTL = 157;
    public static final int GETRUSAGE = 98;
    public static final int TIMES = 100;
    public static final int PIPE = 22;
    public static final int PIPE2 = 293;
    public static final int DUP = 32;
    public static final int DUP2 = 33;
    public static final int DUP3 = 292;
    public static final int SOCKET = 41;
    public static final int CONNECT = 42;
    public static final int GETDENTS64 = 217;
    public static final int MINCORE = 27;
    public static final int MUNLOCK = 150;
    public static final int MLOCK = 149;
    public static final int MEMBARRIER = 324;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "read"),
            Map.entry(1, "write"),
            Map.entry(2, "open"),
            Map.entry(3, "close"),
            Map.entry(4, "stat"),
            Map.entry(5, "fstat"),
            Map.entry(6, "lstat"),
            Map.entry(7, "poll"),
            Map.entry(8, "lseek"),
            Map.entry(9, "mmap"),
            Map.entry(10, "mprotect"),
            Map.entry(11, "munmap"),
            Map.entry(12, "brk"),
            Map.entry(13, "rt_sigaction"),
            Map.entry(14, "rt_sigprocmask"),
            Map.entry(15, "rt_sigreturn"),
            Map.entry(16, "ioctl"),
            Map.entry(17, "pread64"),
            Map.entry(18, "pwrite64"),
            Map.entry(19, "readv"),
            Map.entry(20, "writev"),
            Map.entry(21, "access"),
            Map.entry(22, "pipe"),
            Map.entry(23, "select"),
            Map.entry(24, "sched_yield"),
            Map.entry(25, "mremap"),
            Map.entry(26, "msync"),
            Map.entry(27, "mincore"),
            Map.entry(28, "madvise"),
            Map.entry(29, "shmget"),
            Map.entry(30, "shmat"),
            Map.entry(31, "shmctl"),
            Map.entry(32, "dup"),
            Map.entry(33, "dup2"),
            Map.entry(34, "pause"),
            Map.entry(35, "nanosleep"),
            Map.entry(36, "getitimer"),
            Map.entry(37, "alarm"),
            Map.entry(38, "setitimer"),
            Map.entry(39, "getpid"),
            Map.entry(40, "sendfile"),
            Map.entry(41, "socket"),
            Map.entry(42, "connect"),
            Map.entry(43, "accept"),
            Map.entry(44, "sendto"),
            Map.entry(45, "recvfrom"),
            Map.entry(46, "sendmsg"),
            Map.entry(47, "recvmsg"),
            Map.entry(48, "shutdown"),
            Map.entry(49, "bind"),
            Map.entry(50, "listen"),
            Map.entry(51, "getsockname"),
            Map.entry(52, "getpeername"),
            Map.entry(53, "socketpair"),
            Map.entry(54, "setsockopt"),
            Map.entry(55, "getsockopt"),
            Map.entry(56, "clone"),
            Map.entry(57, "fork"),
            Map.entry(58, "vfork"),
            Map.entry(59, "execve"),
            Map.entry(60, "exit"),
            Map.entry(61, "wait4"),
            Map.entry(62, "kill"),
            Map.entry(63, "uname"),
            Map.entry(64, "semget"),
            Map.entry(65, "semop"),
            Map.entry(66, "semctl"),
            Map.entry(67, "shmdt"),
            Map.entry(68, "msgget"),
            Map.entry(69, "msgsnd"),
            Map.entry(70, "msgrcv"),
            Map.entry(71, "msgctl"),
            Map.entry(72, "fcntl"),
            Map.entry(73, "flock"),
            Map.entry(74, "fsync"),
            Map.entry(75, "fdatasync"),
            Map.entry(76, "truncate"),
            Map.entry(77, "ftruncate"),
            Map.entry(78, "getdents"),
            Map.entry(79, "getcwd"),
            Map.entry(80, "chdir"),
            Map.entry(81, "fchdir"),
            Map.entry(82, "rename"),
            Map.entry(83, "mkdir"),
            Map.entry(84, "rmdir"),
            Map.entry(85, "creat"),
            Map.entry(86, "link"),
            Map.entry(87, "unlink"),
            Map.entry(88, "symlink"),
            Map.entry(89, "readlink"),
            Map.entry(90, "chmod"),
            Map.entry(91, "fchmod"),
            Map.entry(92, "chown"),
            Map.entry(93, "fchown"),
            Map.entry(94, "lchown"),
            Map.entry(95, "umask"),
            Map.entry(96, "gettimeofday"),
            Map.entry(97, "getrlimit"),
            Map.entry(98, "getrusage"),
            Map.entry(99, "sysinfo"),
            Map.entry(100, "times"),
            Map.entry(101, "ptrace"),
            Map.entry(102, "getuid"),
            Map.entry(103, "syslog"),
            Map.entry(104, "getgid"),
            Map.entry(105, "setuid"),
            Map.entry(106, "setgid"),
            Map.entry(107, "geteuid"),
            Map.entry(108, "getegid"),
            Map.entry(109, "setpgid"),
            Map.entry(110, "getppid"),
            Map.entry(111, "getpgrp"),
            Map.entry(112, "setsid"),
            Map.entry(113, "setreuid"),
            Map.entry(114, "setregid"),
            Map.entry(115, "getgroups"),
            Map.entry(116, "setgroups"),
            Map.entry(117, "setresuid"),
            Map.entry(118, "getresuid"),
            Map.entry(119, "setresgid"),
            Map.entry(120, "getresgid"),
            Map.entry(121, "getpgid"),
            Map.entry(122, "setfsuid"),
            Map.entry(123, "setfsgid"),
            Map.entry(124, "getsid"),
            Map.entry(125, "capget"),
            Map.entry(126, "capset"),
            Map.entry(127, "rt_sigpending"),
            Map.entry(128, "rt_sigtimedwait"),
            Map.entry(129, "rt_sigqueueinfo"),
            Map.entry(130, "rt_sigsuspend"),
            Map.entry(131, "sigaltstack"),
            Map.entry(132, "utime"),
            Map.entry(133, "mknod"),
            Map.entry(134, "uselib"),
            Map.entry(135, "personality"),
            Map.entry(136, "ustat"),
            Map.entry(137, "statfs"),
            Map.entry(138, "fstatfs"),
            Map.entry(139, "sysfs"),
            Map.entry(140, "getpriority"),
            Map.entry(141, "setpriority"),
            Map.entry(142, "sched_setparam"),
            Map.entry(143, "sched_getparam"),
            Map.entry(144, "sched_setscheduler"),
            Map.entry(145, "sched_getscheduler"),
            Map.entry(146, "sched_get_priority_max"),
            Map.entry(147, "sched_get_priority_min"),
            Map.entry(148, "sched_rr_get_interval"),
            Map.entry(149, "mlock"),
            Map.entry(150, "munlock"),
            Map.entry(151, "mlockall"),
            Map.entry(152, "munlockall"),
            Map.entry(153, "vhangup"),
            Map.entry(154, "modify_ldt"),
            Map.entry(155, "pivot_root"),
            Map.entry(156, "_sysctl"),
            Map.entry(157, "prctl"),
            Map.entry(158, "arch_prctl"),
            Map.entry(159, "adjtimex"),
            Map.entry(160, "setrlimit"),
            Map.entry(161, "chroot"),
            Map.entry(162, "sync"),
            Map.entry(163, "acct"),
            Map.entry(164, "settimeofday"),
            Map.entry(165, "mount"),
            Map.entry(166, "umount2"),
            Map.entry(167, "swapon"),
            Map.entry(168, "swapoff"),
            Map.entry(169, "reboot"),
            Map.entry(170, "sethostname"),
            Map.entry(171, "setdomainname"),
            Map.entry(172, "iopl"),
            Map.entry(173, "ioperm"),
            Map.entry(174, "create_module"),
            Map.entry(175, "init_module"),
            Map.entry(176, "delete_module"),
            Map.entry(177, "get_kernel_syms"),
            Map.entry(178, "query_module"),
            Map.entry(179, "quotactl"),
            Map.entry(180, "nfsservctl"),
            Map.entry(181, "getpmsg"),
            Map.entry(182, "putpmsg"),
            Map.entry(183, "afs_syscall"),
            Map.entry(184, "tuxcall"),
            Map.entry(185, "security"),
            Map.entry(186, "gettid"),
            Map.entry(187, "readahead"),
            Map.entry(188, "setxattr"),
            Map.entry(189, "lsetxattr"),
            Map.entry(190, "fsetxattr"),
            Map.entry(191, "getxattr"),
            Map.entry(192, "lgetxattr"),
            Map.entry(193, "fgetxattr"),
            Map.entry(194, "listxattr"),
            Map.entry(195, "llistxattr"),
            Map.entry(196, "flistxattr"),
            Map.entry(197, "removexattr"),
            Map.entry(198, "lremovexattr"),
            Map.entry(199, "fremovexattr"),
            Map.entry(200, "tkill"),
            Map.entry(201, "time"),
            Map.entry(202, "futex"),
            Map.entry(203, "sched_setaffinity"),
            Map.entry(204, "sched_getaffinity"),
            Map.entry(205, "set_thread_area"),
            Map.entry(206, "io_setup"),
            Map.entry(207, "io_destroy"),
            Map.entry(208, "io_getevents"),
            Map.entry(209, "io_submit"),
            Map.entry(210, "io_cancel"),
            Map.entry(211, "get_thread_area"),
            Map.entry(212, "lookup_dcookie"),
            Map.entry(213, "epoll_create"),
            Map.entry(214, "epoll_ctl_old"),
            Map.entry(215, "epoll_wait_old"),
            Map.entry(216, "remap_file_pages"),
            Map.entry(217, "getdents64"),
            Map.entry(218, "set_tid_address"),
            Map.entry(219, "restart_syscall"),
            Map.entry(220, "semtimedop"),
            Map.entry(221, "fadvise64"),
            Map.entry(222, "timer_create"),
            Map.entry(223, "timer_settime"),
            Map.entry(224, "timer_gettime"),
            Map.entry(225, "timer_getoverrun"),
            Map.entry(226, "timer_delete"),
            Map.entry(227, "clock_settime"),
            Map.entry(228, "clock_gettime"),
            Map.entry(229, "clock_getres"),
            Map.entry(230, "clock_nanosleep"),
            Map.entry(231, "exit_group"),
            Map.entry(232, "epoll_wait"),
            Map.entry(233, "epoll_ctl"),
            Map.entry(234, "tgkill"),
            Map.entry(235, "utimes"),
            Map.entry(236, "vserver"),
            Map.entry(237, "mbind"),
            Map.entry(238, "set_mempolicy"),
            Map.entry(239, "get_mempolicy"),
            Map.entry(240, "mq_open"),
            Map.entry(241, "mq_unlink"),
            Map.entry(242, "mq_timedsend"),
            Map.entry(243, "mq_timedreceive"),
            Map.entry(244, "mq_notify"),
            Map.entry(245, "mq_getsetattr"),
            Map.entry(246, "kexec_load"),
            Map.entry(247, "waitid"),
            Map.entry(248, "add_key"),
            Map.entry(249, "request_key"),
            Map.entry(250, "keyctl"),
            Map.entry(251, "ioprio_set"),
            Map.entry(252, "ioprio_get"),
            Map.entry(253, "inotify_init"),
            Map.entry(254, "inotify_add_watch"),
            Map.entry(255, "inotify_rm_watch"),
            Map.entry(256, "migrate_pages"),
            Map.entry(257, "openat"),
            Map.entry(258, "mkdirat"),
            Map.entry(259, "mknodat"),
            Map.entry(260, "fchownat"),
            Map.entry(261, "futimesat"),
            Map.entry(262, "newfstatat"),
            Map.entry(263, "unlinkat"),
            Map.entry(264, "renameat"),
            Map.entry(265, "linkat"),
            Map.entry(266, "symlinkat"),
            Map.entry(267, "readlinkat"),
            Map.entry(268, "fchmodat"),
            Map.entry(269, "faccessat"),
            Map.entry(270, "pselect6"),
            Map.entry(271, "ppoll"),
            Map.entry(272, "unshare"),
            Map.entry(273, "set_robust_list"),
            Map.entry(274, "get_robust_list"),
            Map.entry(275, "splice"),
            Map.entry(276, "tee"),
            Map.entry(277, "sync_file_range"),
            Map.entry(278, "vmsplice"),
            Map.entry(279, "move_pages"),
            Map.entry(280, "utimensat"),
            Map.entry(281, "epoll_pwait"),
            Map.entry(282, "signalfd"),
            Map.entry(283, "timerfd_create"),
            Map.entry(284, "eventfd"),
            Map.entry(285, "fallocate"),
            Map.entry(286, "timerfd_settime"),
            Map.entry(287, "timerfd_gettime"),
            Map.entry(288, "accept4"),
            Map.entry(289, "signalfd4"),
            Map.entry(290, "eventfd2"),
            Map.entry(291, "epoll_create1"),
            Map.entry(292, "dup3"),
            Map.entry(293, "pipe2"),
            Map.entry(294, "inotify_init1"),
            Map.entry(295, "preadv"),
            Map.entry(296, "pwritev"),
            Map.entry(297, "rt_tgsigqueueinfo"),
            Map.entry(298, "perf_event_open"),
            Map.entry(299, "recvmmsg"),
            Map.entry(300, "fanotify_init"),
            Map.entry(301, "fanotify_mark"),
            Map.entry(302, "prlimit64"),
            Map.entry(303, "name_to_handle_at"),
            Map.entry(304, "open_by_handle_at"),
            Map.entry(305, "clock_adjtime"),
            Map.entry(306, "syncfs"),
            Map.entry(307, "sendmmsg"),
            Map.entry(308, "setns"),
            Map.entry(309, "getcpu"),
            Map.entry(310, "process_vm_readv"),
            Map.entry(311, "process_vm_writev"),
            Map.entry(312, "kcmp"),
            Map.entry(313, "finit_module"),
            Map.entry(314, "sched_setattr"),
            Map.entry(315, "sched_getattr"),
            Map.entry(316, "renameat2"),
            Map.entry(317, "seccomp"),
            Map.entry(318, "getrandom"),
            Map.entry(319, "memfd_create"),
            Map.entry(320, "kexec_file_load"),
            Map.entry(321, "bpf"),
            Map.entry(322, "execveat"),
            Map.entry(323, "userfaultfd"),
            Map.entry(324, "membarrier"),
            Map.entry(325, "mlock2"),
            Map.entry(326, "copy_file_range"),
            Map.entry(327, "preadv2"),
            Map.entry(328, "pwritev2"),
            Map.entry(329, "pkey_mprotect"),
            Map.entry(330, "pkey_alloc"),
            Map.entry(331, "pkey_free"),
            Map.entry(332, "statx"),
            Map.entry(333, "io_pgetevents"),
            Map.entry(334, "rseq"),
            Map.entry(424, "pidfd_send_signal"),
            Map.entry(425, "io_uring_setup"),
            Map.entry(426, "io_uring_enter"),
            Map.entry(427, "io_uring_register"),
            Map.entry(428, "open_tree"),
            Map.entry(429, "move_mount"),
            Map.entry(430, "fsopen"),
            Map.entry(431, "fsconfig"),
            Map.entry(432, "fsmount"),
            Map.entry(433, "fspick"),
            Map.entry(434, "pidfd_open"),
            Map.entry(435, "clone3"),
            Map.entry(436, "close_range"),
            Map.entry(437, "openat2"),
            Map.entry(438, "pidfd_getfd"),
            Map.entry(439, "faccessat2"),
            Map.entry(440, "process_madvise"),
            Map.entry(441, "epoll_pwait2"),
            Map.entry(442, "mount_setattr"),
            Map.entry(443, "quotactl_fd"),
            Map.entry(444, "landlock_create_ruleset"),
            Map.entry(445, "landlock_add_rule"),
            Map.entry(446, "landlock_restrict_self"),
            Map.entry(447, "memfd_secret"),
            Map.entry(448, "process_mrelease"),
            Map.entry(449, "futex_waitv"),
            Map.entry(450, "set_mempolicy_home_node"));

    private Syscalls() {}

    /** The name of a system call, or "syscall N" for a number Linux x86-64 does not have. */
    public static String name(long number) {
        return number >= 0 && number <= Integer.MAX_VALUE
                ? NAMES.getOrDefault((int) number, "syscall " + number)
                : "syscall " + number;
    }
}
