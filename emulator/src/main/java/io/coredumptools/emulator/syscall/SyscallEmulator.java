package io.coredumptools.emulator.syscall;

import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.abi.Errno;
import io.coredumptools.elfcore.abi.Futex;
import io.coredumptools.elfcore.abi.Mman;
import io.coredumptools.elfcore.abi.Signals;
import io.coredumptools.elfcore.abi.Syscalls;
import io.coredumptools.elfcore.abi.Terminals;
import io.coredumptools.emulator.FaultKind;
import io.coredumptools.emulator.memory.MemoryAccessException;
import io.coredumptools.emulator.memory.MemoryImage;
import io.coredumptools.emulator.run.SyscallHandler;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.X86Register;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux system calls a called function may make, answered without a kernel as the process would have been
 * answered: what keeps malloc, stdio, locks and the clocks working on a core. Anything else stops the call with
 * SIGSYS and a report naming the system call (docs/syscalls.md lists every one).
 */
public final class SyscallEmulator implements SyscallHandler {
    private static final Logger log = LoggerFactory.getLogger(SyscallEmulator.class);
    private static final int CLOCK_REALTIME = 0;
    private static final int CLOCK_MONOTONIC = 1;
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    private static final int CLOCK_THREAD_CPUTIME_ID = 3;
    private static final int CLOCK_MONOTONIC_RAW = 4;
    private static final int CLOCK_REALTIME_COARSE = 5;
    private static final int CLOCK_MONOTONIC_COARSE = 6;
    private static final int CLOCK_BOOTTIME = 7;
    /** glibc's largest sigset_t, in bytes. */
    private static final int MAX_SIGSET = 128;
    /** sizeof(struct sigaction) for rt_sigaction on x86-64 with an 8-byte sigset. */
    private static final int SIGACTION_SIZE = 32;

    private final MemoryImage image;
    private final MemorySyscalls memory;
    private final StandardStreams streams;
    private final SecureRandom random = new SecureRandom();
    private final long startedNanos = System.nanoTime();

    private ProcessIdentity identity = new ProcessIdentity(1, 0, 1);
    private LockWaitPolicy lockWaitPolicy;
    private SyscallStop stop;
    /** The warning that getcwd answers ENOENT was logged (once per emulator). */
    private boolean unknownWorkingDirectoryLogged;

    /**
     * @param initialBreak the crashed process's program break (glibc's {@code __curbrk}, or where a process that
     *     never grew its heap would start it), read when first needed
     */
    public SyscallEmulator(MemoryImage image, LongSupplier initialBreak, LockWaitPolicy lockWaitPolicy) {
        this.image = image;
        this.memory = new MemorySyscalls(image, initialBreak);
        this.streams = new StandardStreams(image);
        this.lockWaitPolicy = lockWaitPolicy;
    }

    public void setIdentity(ProcessIdentity identity) {
        this.identity = identity;
    }

    public void setLockWaitPolicy(LockWaitPolicy policy) {
        this.lockWaitPolicy = policy;
    }

    /**
     * The crash image holds {@code length} bytes the program wrote to stdout's buffer but never flushed, at
     * {@code address}: a call's flush writes them first, and they are not the call's output.
     */
    public void setPendingStdout(long address, long length) {
        streams.setPendingStdout(address, length);
    }

    /** Forgets what the calls since the base did: the memory itself was restored by the image. */
    public void onRestore() {
        memory.onRestore();
        streams.onRestore();
    }

    /**
     * The region mmap made at {@code address} is no longer the calls' (it survives restores).
     *
     * @deprecated nothing to forget since mmap keeps no list of its own: {@link MemoryImage#persist} is enough
     */
    @Deprecated
    public void forgetMapping(long address) {}

    /** Text written to fd 1 and 2 since the last {@link #takeOutput()}. */
    public byte[] takeOutput() {
        return streams.takeOutput();
    }

    @Override
    public void onRunStart() {
        stop = null;
        lockWaitPolicy.onRunStart();
    }

    @Override
    public Optional<SyscallStop> takeStop() {
        SyscallStop s = stop;
        stop = null;
        return Optional.ofNullable(s);
    }

    /** The syscall hook: reads the number and arguments, answers in RAX or stops emulation. */
    @Override
    public void onSyscall(Unicorn uc) {
        long number = uc.readRegister(X86Register.RAX);
        long[] a = {
            uc.readRegister(X86Register.RDI),
            uc.readRegister(X86Register.RSI),
            uc.readRegister(X86Register.RDX),
            uc.readRegister(X86Register.R10),
            uc.readRegister(X86Register.R8),
            uc.readRegister(X86Register.R9)
        };
        Long result;
        try {
            result = answer(uc, number, a);
        } catch (MemoryAccessException unreadable) {
            // The kernel answers a bad user pointer with EFAULT.
            result = -(long) Errno.EFAULT;
        }
        if (result != null) {
            uc.writeRegister(X86Register.RAX, result);
        }
    }

    private Long answer(Unicorn uc, long number, long[] a) {
        return switch ((int) number) {
            case Syscalls.WRITE ->
                StandardStreams.isStandard(a[0]) && a[0] != 0
                        ? streams.write(a[0], a[1], a[2])
                        : unsupported(uc, number, a, "only fd 1 and 2 can be written during a call");
            case Syscalls.WRITEV ->
                StandardStreams.isStandard(a[0]) && a[0] != 0
                        ? streams.writev(a[0], a[1], a[2])
                        : unsupported(uc, number, a, "only fd 1 and 2 can be written during a call");
            case Syscalls.FSTAT ->
                StandardStreams.isStandard(a[0])
                        ? streams.fstat(a[0], a[1], identity.uid())
                        : unsupported(uc, number, a, "only fd 0, 1 and 2 exist during a call");
            case Syscalls.NEWFSTATAT -> newfstatat(uc, number, a);
            case Syscalls.IOCTL ->
                StandardStreams.isStandard(a[0]) && (int) a[1] == Terminals.TCGETS
                        ? streams.tcgets(a[2])
                        : unsupported(uc, number, a, "only TCGETS on fd 0, 1 and 2 is answered");
            case Syscalls.MMAP ->
                (a[3] & Mman.MAP_ANONYMOUS) != 0
                        ? memory.mmap(a[0], a[1], (int) a[2], (int) a[3])
                        : unsupported(uc, number, a, "only anonymous memory can be mapped during a call");
            case Syscalls.MUNMAP -> memory.munmap(a[0], a[1]);
            case Syscalls.MREMAP -> memory.mremap(a[0], a[1], a[2], (int) a[3], a[4]);
            case Syscalls.MPROTECT -> memory.mprotect(a[0], a[1], (int) a[2]);
            case Syscalls.MADVISE -> memory.madvise(a[0], a[1], (int) a[2]);
            case Syscalls.BRK -> memory.brk(a[0]);
            case Syscalls.GETPID -> (long) identity.pid();
            case Syscalls.GETPPID -> (long) identity.ppid();
            case Syscalls.GETTID -> (long) identity.tid();
            case Syscalls.GETUID, Syscalls.GETEUID -> (long) identity.uid();
            case Syscalls.GETGID, Syscalls.GETEGID -> (long) identity.gid();
            case Syscalls.GETCWD -> getcwd(uc, number, a);
            case Syscalls.FUTEX -> futex(uc, a[0], (int) a[1], (int) a[2], a);
            case Syscalls.CLOCK_GETTIME -> clockGettime((int) a[0], a[1]);
            case Syscalls.CLOCK_GETRES -> clockGetres((int) a[0], a[1]);
            case Syscalls.GETCPU -> getcpu(a[0], a[1]);
            case Syscalls.GETTIMEOFDAY -> gettimeofday(a[0]);
            case Syscalls.TIME -> time(a[0]);
            case Syscalls.GETRANDOM -> getrandom(a[0], a[1]);
            case Syscalls.SCHED_GETAFFINITY -> schedGetaffinity(a[1], a[2]);
            case Syscalls.RT_SIGPROCMASK -> rtSigprocmask(a[2], a[3]);
            case Syscalls.RT_SIGACTION -> rtSigaction(a[2], a[3]);
            case Syscalls.SCHED_YIELD -> 0L;
            case Syscalls.KILL, Syscalls.TKILL, Syscalls.TGKILL -> raise(uc, number, a);
            default -> unsupported(uc, number, a, "the emulator does not carry out this system call during a call");
        };
    }

    private Long newfstatat(Unicorn uc, long number, long[] a) {
        boolean emptyPath = (a[3] & Terminals.AT_EMPTY_PATH) != 0 && image.read(a[1], 1)[0] == 0;
        if (emptyPath && StandardStreams.isStandard(a[0])) {
            return streams.fstat(a[0], a[2], identity.uid());
        }
        return unsupported(uc, number, a, "only fd 0, 1 and 2 can be examined during a call (no file system)");
    }

    /**
     * The directory the core tells. When it does not tell (no absolute PWD, a program started by an absolute path),
     * the answer is ENOENT, what Linux answers a process whose working directory was removed: no path is made up (the
     * program's own directory is not its working directory), and callers handle it as they would live (Python's
     * import system skips the "" entry of sys.path; os.getcwd() raises FileNotFoundError). Logged once.
     */
    private Long getcwd(Unicorn uc, long number, long[] a) {
        if (identity.workingDirectory().isEmpty()) {
            if (!unknownWorkingDirectoryLogged) {
                unknownWorkingDirectoryLogged = true;
                log.warn("getcwd during a call: the core does not tell the process's working directory (no absolute"
                        + " PWD in its environment, started by an absolute path); answering ENOENT, as Linux answers"
                        + " a process whose working directory was removed");
            }
            return (long) -Errno.ENOENT;
        }
        byte[] path = (identity.workingDirectory().get() + "\0").getBytes(StandardCharsets.UTF_8);
        if (Long.compareUnsigned(a[1], path.length) < 0) {
            return -(long) Errno.ERANGE;
        }
        image.write(a[0], path);
        return (long) path.length;
    }

    private Long futex(Unicorn uc, long address, int op, int value, long[] a) {
        int command = Futex.command(op);
        switch (command) {
            case Futex.WAKE, Futex.WAKE_BITSET, Futex.WAKE_OP, Futex.REQUEUE, Futex.CMP_REQUEUE:
                return 0L; // nobody else runs: there is no one to wake
            case Futex.WAIT, Futex.WAIT_BITSET: {
                if (readInt(address) != value) {
                    return (long) -Errno.EAGAIN;
                }
                return hopelessWait(uc, address, command, value);
            }
            case Futex.LOCK_PI, Futex.LOCK_PI2, Futex.TRYLOCK_PI: {
                int word = readInt(address);
                if ((word & 0x3fffffff) == 0) {
                    writeInt(address, identity.tid());
                    return 0L;
                }
                if ((word & 0x3fffffff) == identity.tid()) {
                    return (long) -Errno.EDEADLK;
                }
                return command == Futex.TRYLOCK_PI ? (long) -Errno.EAGAIN : hopelessWait(uc, address, command, word);
            }
            case Futex.UNLOCK_PI:
                writeInt(address, 0);
                return 0L;
            default:
                return unsupported(uc, Syscalls.FUTEX, a, "this futex operation is not emulated");
        }
    }

    private Long hopelessWait(Unicorn uc, long address, int command, int value) {
        LockWaitPolicy.Decision decision = lockWaitPolicy.onHopelessWait(address, command, value, identity.tid());
        if (decision.result().isPresent()) {
            return decision.result().getAsLong();
        }
        stop = new SyscallStop(FaultKind.LOCK_WAIT, address, decision.message());
        uc.stop();
        return null;
    }

    private int readInt(long address) {
        return LittleEndian.i32(image.read(address, 4), 0);
    }

    private void writeInt(long address, int value) {
        image.write(address, LittleEndian.ofInt(value));
    }

    private Long clockGettime(int clock, long timespec) {
        long nanos;
        switch (clock) {
            case CLOCK_REALTIME, CLOCK_REALTIME_COARSE -> {
                java.time.Instant now = java.time.Instant.now();
                nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }
            case CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME ->
                nanos = System.nanoTime();
            case CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID -> nanos = System.nanoTime() - startedNanos;
            default -> {
                return (long) -Errno.EINVAL;
            }
        }
        writeTwoLongs(timespec, Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        return 0L;
    }

    private Long clockGetres(int clock, long timespec) {
        if (clock < 0 || clock > CLOCK_BOOTTIME) {
            return (long) -Errno.EINVAL;
        }
        if (timespec != 0) {
            writeTwoLongs(timespec, 0, 1);
        }
        return 0L;
    }

    /** The calling thread runs on CPU 0, NUMA node 0. */
    private Long getcpu(long cpu, long node) {
        if (cpu != 0) {
            writeInt(cpu, 0);
        }
        if (node != 0) {
            writeInt(node, 0);
        }
        return 0L;
    }

    /** The thread may run on CPU 0, the one getcpu names: a mask of one long, as the kernel copies out. */
    private Long schedGetaffinity(long size, long mask) {
        if (Long.compareUnsigned(size, 8) < 0 || (size & 7) != 0) {
            return (long) -Errno.EINVAL;
        }
        image.write(mask, LittleEndian.ofLong(1));
        return 8L;
    }

    private Long gettimeofday(long timeval) {
        long micros = System.currentTimeMillis() * 1000L;
        if (timeval != 0) {
            writeTwoLongs(timeval, micros / 1_000_000L, micros % 1_000_000L);
        }
        return 0L;
    }

    private Long time(long out) {
        long seconds = System.currentTimeMillis() / 1000L;
        if (out != 0) {
            image.write(out, LittleEndian.ofLong(seconds));
        }
        return seconds;
    }

    private Long getrandom(long buffer, long length) {
        byte[] bytes = new byte[(int) Math.min(Math.max(0, length), 1 << 20)];
        random.nextBytes(bytes);
        image.write(buffer, bytes);
        return (long) bytes.length;
    }

    /** No signal is ever delivered during a call: every mask reads as empty and changing it changes nothing. */
    private Long rtSigprocmask(long oldSet, long size) {
        if (size <= 0 || size > MAX_SIGSET) {
            return (long) -Errno.EINVAL;
        }
        if (oldSet != 0) {
            image.write(oldSet, new byte[(int) size]);
        }
        return 0L;
    }

    /**
     * The handlers are not in the core: the old action reads as SIG_DFL; a new one is accepted (no signal arrives
     * during a call to run it).
     */
    private Long rtSigaction(long oldAction, long size) {
        if (size != 8) {
            return (long) -Errno.EINVAL;
        }
        if (oldAction != 0) {
            image.write(oldAction, new byte[SIGACTION_SIZE]);
        }
        return 0L;
    }

    /**
     * kill, tkill and tgkill aimed at the process itself or the calling thread: the signal is raised (the call stops
     * with it); signal 0 only asks whether the target exists. Any other target is another process's business.
     */
    private Long raise(Unicorn uc, long number, long[] a) {
        long signal = number == Syscalls.TGKILL ? a[2] : a[1];
        boolean self = switch ((int) number) {
            case Syscalls.KILL -> a[0] == identity.pid() || a[0] == 0;
            case Syscalls.TKILL -> a[0] == identity.tid();
            default -> a[0] == identity.pid() && a[1] == identity.tid();
        };
        if (!self) {
            return unsupported(uc, number, a, "only the process itself can be signalled during a call");
        }
        if (signal == 0) {
            return 0L;
        }
        if (signal < 0 || signal > Signals.SIGRT_LAST) {
            return (long) -Errno.EINVAL;
        }
        stop = new SyscallStop(
                FaultKind.SIGNAL_RAISED,
                signal,
                Syscalls.name(number) + "(" + a[0] + ", " + a[1] + (number == Syscalls.TGKILL ? ", " + a[2] : "")
                        + "): the called code raised " + Signals.name((int) signal));
        uc.stop();
        return 0L; // the kill succeeded; the signal arrives as it returns
    }

    private Long unsupported(Unicorn uc, long number, long[] a, String why) {
        stop = new SyscallStop(
                FaultKind.UNSUPPORTED_SYSCALL,
                0,
                Syscalls.name(number) + " (" + number + ") with arguments 0x" + Long.toHexString(a[0]) + ", 0x"
                        + Long.toHexString(a[1]) + ", 0x" + Long.toHexString(a[2]) + ", 0x" + Long.toHexString(a[3])
                        + ", 0x" + Long.toHexString(a[4]) + ": " + why);
        uc.stop();
        return (long) -Errno.ENOSYS;
    }

    private void writeTwoLongs(long address, long first, long second) {
        byte[] bytes = new byte[16];
        LittleEndian.put64(bytes, 0, first);
        LittleEndian.put64(bytes, 8, second);
        image.write(address, bytes);
    }
}
