package io.coredumptools.emulator.syscall;

import io.coredumptools.emulator.FaultKind;
import io.coredumptools.emulator.memory.MemoryImage;
import io.coredumptools.emulator.nativeio.PageSize;
import io.coredumptools.emulator.run.SyscallHandler;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.X86Register;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The Linux system calls a called function may make, answered without a kernel: what keeps malloc,
 * printf and locks working on a core. Anything else stops the call with a report naming the syscall.
 */
public final class SyscallEmulator implements SyscallHandler {
    private static final long ENOMEM = 12;
    private static final long EAGAIN = 11;
    private static final long EINVAL = 22;
    private static final long ENOSYS = 38;
    private static final int MAP_FIXED = 0x10;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int FUTEX_CMD_MASK = 0x7f & ~0x80;
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int FUTEX_REQUEUE = 3;
    private static final int FUTEX_CMP_REQUEUE = 4;
    private static final int FUTEX_WAKE_OP = 5;
    private static final int FUTEX_LOCK_PI = 6;
    private static final int FUTEX_UNLOCK_PI = 7;
    private static final int FUTEX_TRYLOCK_PI = 8;
    private static final int FUTEX_WAIT_BITSET = 9;
    private static final int FUTEX_WAKE_BITSET = 10;
    private static final int FUTEX_LOCK_PI2 = 13;
    private static final long EDEADLK = 35;

    private final MemoryImage image;
    private final LongSupplier initialBreak;
    private final SecureRandom random = new SecureRandom();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    /** Regions made by emulated mmap since the last restore: address → size. */
    private final Map<Long, Long> mappedByCall = new HashMap<>();

    private ProcessIdentity identity = new ProcessIdentity(1, 0, 1);
    private LockWaitPolicy lockWaitPolicy;
    private long programBreak;
    private SyscallStop stop;

    /**
     * @param initialBreak the crashed process's program break (glibc's {@code __curbrk}), read when first needed
     */
    public SyscallEmulator(MemoryImage image, LongSupplier initialBreak, LockWaitPolicy lockWaitPolicy) {
        this.image = image;
        this.initialBreak = initialBreak;
        this.lockWaitPolicy = lockWaitPolicy;
    }

    public void setIdentity(ProcessIdentity identity) {
        this.identity = identity;
    }

    public void setLockWaitPolicy(LockWaitPolicy policy) {
        this.lockWaitPolicy = policy;
    }

    /** Forgets what the calls since the base created: the memory itself was restored by the image. */
    public void onRestore() {
        mappedByCall.clear();
        programBreak = 0;
    }

    /** The region mmap made at {@code address} is no longer the calls' (it survives restores): forgets it. */
    public void forgetMapping(long address) {
        mappedByCall.remove(address);
    }

    /** Text written to fd 1 and 2 since the last {@link #takeOutput()}. */
    public byte[] takeOutput() {
        byte[] bytes = output.toByteArray();
        output.reset();
        return bytes;
    }

    /** A run starts: per-run state of the lock policy is forgotten. */
    public void onRunStart() {
        stop = null;
        lockWaitPolicy.onRunStart();
    }

    /** The stop requested by the last syscall, if any; cleared by the call. */
    public Optional<SyscallStop> takeStop() {
        SyscallStop s = stop;
        stop = null;
        return Optional.ofNullable(s);
    }

    /** The syscall hook: reads the number and arguments, answers in RAX or stops emulation. */
    public void onSyscall(Unicorn uc) {
        long number = uc.readRegister(X86Register.RAX);
        long a0 = uc.readRegister(X86Register.RDI);
        long a1 = uc.readRegister(X86Register.RSI);
        long a2 = uc.readRegister(X86Register.RDX);
        long a3 = uc.readRegister(X86Register.R10);
        long a4 = uc.readRegister(X86Register.R8);
        Long result = switch ((int) number) {
            case 1 -> write(uc, a0, a1, a2);
            case 20 -> writev(uc, a0, a1, a2);
            case 9 -> mmap(a0, a1, (int) a2, (int) a3, a4);
            case 11 -> munmap(a0, a1);
            case 25 -> mremap(a0, a1, a2);
            case 12 -> brk(a0);
            case 10, 28 -> 0L; // mprotect, madvise: the emulator's permissions are already what the code needs
            case 39 -> (long) identity.pid();
            case 110 -> (long) identity.ppid();
            case 186 -> (long) identity.tid();
            case 102, 104, 107, 108 -> 0L; // getuid, getgid, geteuid, getegid
            case 202 -> futex(uc, a0, (int) a1, (int) a2);
            case 228 -> clockGettime(a1);
            case 229 -> clockGetres(a1);
            case 309 -> getcpu(a0, a1);
            case 96 -> gettimeofday(a0);
            case 201 -> time(a0);
            case 318 -> getrandom(a0, a1);
            case 14 -> rtSigprocmask(a2, a3);
            case 13 -> 0L; // rt_sigaction: no signal is ever delivered during a call
            case 24 -> 0L; // sched_yield
            case 62, 200, 234 -> raise(uc, number, a0, a1, a2);
            default -> unsupported(uc, number, a0, a1, a2, a3, a4);
        };
        if (result != null) {
            uc.writeRegister(X86Register.RAX, result);
        }
    }

    private Long write(Unicorn uc, long fd, long buffer, long length) {
        if (fd != 1 && fd != 2) {
            return unsupported(uc, 1, fd, buffer, length, 0, 0);
        }
        if (length < 0 || length > Integer.MAX_VALUE) {
            return -EINVAL;
        }
        output.writeBytes(image.read(buffer, (int) length));
        return length;
    }

    private Long writev(Unicorn uc, long fd, long iov, long count) {
        if (fd != 1 && fd != 2) {
            return unsupported(uc, 20, fd, iov, count, 0, 0);
        }
        long total = 0;
        ByteBuffer vectors =
                ByteBuffer.wrap(image.read(iov, (int) (16 * count))).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            long base = vectors.getLong();
            long length = vectors.getLong();
            output.writeBytes(image.read(base, (int) length));
            total += length;
        }
        return total;
    }

    private Long mmap(long address, long length, int prot, int flags, long fd) {
        if ((flags & MAP_ANONYMOUS) == 0) {
            stop = new SyscallStop(
                    FaultKind.UNSUPPORTED_SYSCALL,
                    0,
                    "mmap of file descriptor " + fd + ": only anonymous memory can be mapped during a call");
            return null;
        }
        long size = PageSize.alignUp(length);
        long where = address;
        if ((flags & MAP_FIXED) == 0 || address == 0) {
            where = image.findFreeRange(size);
        } else if (mappedByCall.containsKey(address)) {
            image.unmap(address, mappedByCall.remove(address));
        }
        image.mapAnonymous(where, size, MemoryProtection.fromLinuxProt(prot | 1 /* readable */));
        mappedByCall.put(where, size);
        return where;
    }

    private Long munmap(long address, long length) {
        Long size = mappedByCall.get(address);
        if (size != null && size == PageSize.alignUp(length)) {
            image.unmap(address, size);
            mappedByCall.remove(address);
        }
        // Memory of the crash image stays: a call must not lose it, and nothing reads it after a free.
        return 0L;
    }

    private Long mremap(long address, long oldLength, long newLength) {
        long newAddress = image.findFreeRange(newLength);
        image.mapAnonymous(newAddress, PageSize.alignUp(newLength), MemoryProtection.READ | MemoryProtection.WRITE);
        image.write(newAddress, image.read(address, (int) Math.min(oldLength, newLength)));
        mappedByCall.put(newAddress, PageSize.alignUp(newLength));
        munmap(address, oldLength);
        return newAddress;
    }

    /** The heap grows by anonymous pages past the crashed process's break, which the core ends at. */
    private Long brk(long requested) {
        if (programBreak == 0) {
            programBreak = initialBreak.getAsLong();
            if (programBreak == 0) {
                return -ENOMEM;
            }
        }
        if (requested == 0 || requested == programBreak) {
            return programBreak;
        }
        if (Long.compareUnsigned(requested, programBreak) > 0) {
            long from = PageSize.alignUp(programBreak);
            long to = PageSize.alignUp(requested);
            for (long page = from; page < to; ) {
                if (image.regionAt(page).isPresent()) {
                    page = image.regionAt(page).get().end();
                    continue;
                }
                long end = page;
                while (end < to && image.regionAt(end).isEmpty()) {
                    end += PageSize.BYTES;
                }
                image.mapAnonymous(page, end - page, MemoryProtection.READ | MemoryProtection.WRITE);
                page = end;
            }
        }
        programBreak = requested;
        return programBreak;
    }

    private Long futex(Unicorn uc, long address, int op, int value) {
        int command = op & FUTEX_CMD_MASK;
        switch (command) {
            case FUTEX_WAKE, FUTEX_WAKE_BITSET, FUTEX_WAKE_OP, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE:
                return 0L; // nobody else runs: there is no one to wake
            case FUTEX_WAIT, FUTEX_WAIT_BITSET: {
                if (readInt(address) != value) {
                    return -EAGAIN;
                }
                return hopelessWait(uc, address, command, value);
            }
            case FUTEX_LOCK_PI, FUTEX_LOCK_PI2, FUTEX_TRYLOCK_PI: {
                int word = readInt(address);
                if ((word & 0x3fffffff) == 0) {
                    writeInt(address, identity.tid());
                    return 0L;
                }
                if ((word & 0x3fffffff) == identity.tid()) {
                    return -EDEADLK;
                }
                return command == FUTEX_TRYLOCK_PI ? -EAGAIN : hopelessWait(uc, address, command, word);
            }
            case FUTEX_UNLOCK_PI:
                writeInt(address, 0);
                return 0L;
            default:
                return unsupported(uc, 202, address, op, value, 0, 0);
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
        return ByteBuffer.wrap(image.read(address, 4))
                .order(ByteOrder.LITTLE_ENDIAN)
                .getInt();
    }

    private void writeInt(long address, int value) {
        image.write(
                address,
                ByteBuffer.allocate(4)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(value)
                        .array());
    }

    private Long clockGettime(long timespec) {
        long nanos = System.currentTimeMillis() * 1_000_000L + System.nanoTime() % 1_000_000L;
        writeTwoLongs(timespec, nanos / 1_000_000_000L, nanos % 1_000_000_000L);
        return 0L;
    }

    private Long clockGetres(long timespec) {
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
            image.write(
                    out,
                    ByteBuffer.allocate(8)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putLong(seconds)
                            .array());
        }
        return seconds;
    }

    private Long getrandom(long buffer, long length) {
        byte[] bytes = new byte[(int) Math.min(length, 1 << 20)];
        random.nextBytes(bytes);
        image.write(buffer, bytes);
        return (long) bytes.length;
    }

    private Long rtSigprocmask(long oldSet, long size) {
        if (oldSet != 0 && size > 0 && size <= 128) {
            image.write(oldSet, new byte[(int) size]);
        }
        return 0L;
    }

    private Long raise(Unicorn uc, long number, long a0, long a1, long a2) {
        long signal = number == 234 ? a2 : a1;
        stop = new SyscallStop(
                FaultKind.SIGNAL_RAISED,
                signal,
                SyscallNames.of(number) + "(" + a0 + ", " + a1 + (number == 234 ? ", " + a2 : "")
                        + "): the called code raised signal " + signal);
        uc.stop();
        return 0L; // the kill succeeded; the signal arrives as it returns
    }

    private Long unsupported(Unicorn uc, long number, long a0, long a1, long a2, long a3, long a4) {
        stop = new SyscallStop(
                FaultKind.UNSUPPORTED_SYSCALL,
                0,
                SyscallNames.of(number) + " (" + number + ") with arguments 0x"
                        + Long.toHexString(a0) + ", 0x" + Long.toHexString(a1) + ", 0x" + Long.toHexString(a2) + ", 0x"
                        + Long.toHexString(a3) + ", 0x" + Long.toHexString(a4)
                        + ": the emulator does not carry out this system call during a call");
        uc.stop();
        return -ENOSYS;
    }

    private void writeTwoLongs(long address, long first, long second) {
        image.write(
                address,
                ByteBuffer.allocate(16)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(first)
                        .putLong(second)
                        .array());
    }
}
