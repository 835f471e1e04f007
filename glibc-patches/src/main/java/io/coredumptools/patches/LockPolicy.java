package io.coredumptools.patches;

import io.coredumptools.elfcore.Hex;
import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.elfcore.abi.Futex;
import io.coredumptools.elfcore.symbols.SymbolIndex;
import io.coredumptools.elfcore.symbols.SymbolLocation;
import java.util.List;
import java.util.Optional;

/**
 * What the emulator's futex emulation does with a wait that can never be woken: in a core no other thread runs,
 * so a lock another thread held at the crash is never released.
 *
 * <p>Contract for the emulator: on {@code futex(uaddr, op, val, ...)} with command FUTEX_WAIT, FUTEX_WAIT_BITSET,
 * FUTEX_LOCK_PI or FUTEX_LOCK_PI2, where {@code *uaddr == val} (else it returns -EAGAIN itself, as the kernel
 * would; LOCK_PI: where the word is non-zero), it calls {@link #onUnwakeableWait} and
 * <ul>
 *   <li>{@link FutexDecision.Action#STEAL}: writes {@link FutexDecision#newValue} (32-bit) at the address as an
 *       ordinary (per-call, restored) write, and completes the syscall with rax = {@link FutexDecision#returnValue};</li>
 *   <li>{@link FutexDecision.Action#STOP}: ends the call with an error whose message is {@link FutexDecision#message}.</li>
 * </ul>
 * FUTEX_WAKE needs no policy: it returns 0 (no waiter). {@code attempt} counts the waits on this address during
 * the current call (1 for the first), so a wait that is not a lock (a condition variable, a semaphore) and
 * comes back after a steal ends the call instead of looping.
 *
 * <p>Why writing 0 works for glibc 2.36 locks: {@code __lll_lock_wait} (normal, recursive and error-checking
 * mutexes and glibc's internal locks such as malloc's arena mutex) loops on {@code atomic_exchange(futex, 2) != 0}
 * around {@code futex_wait(futex, 2)}: after the wait returns with the word 0 the exchange returns 0 and the
 * caller owns the lock; pthread_mutex_lock then stores the caller's tid in {@code __owner}. Robust mutexes
 * loop on a compare-and-exchange from 0 and succeed the same way. PI mutexes: the kernel would make the caller the
 * owner, so the word becomes the caller's tid.
 */
public final class LockPolicy {
    public static final int FUTEX_WAIT = Futex.WAIT;
    public static final int FUTEX_LOCK_PI = Futex.LOCK_PI;
    public static final int FUTEX_WAIT_BITSET = Futex.WAIT_BITSET;
    public static final int FUTEX_LOCK_PI2 = Futex.LOCK_PI2;
    /** Waits on one address in one call after which the policy stops stealing. */
    public static final int MAX_STEALS_PER_ADDRESS = 3;
    /** The owner tid bits of a PI / robust futex word. */
    private static final int FUTEX_TID_MASK = 0x3fffffff;
    /** pthread_mutex_t.__data.__owner (glibc x86-64: __lock, __count, __owner). */
    private static final int MUTEX_OWNER_OFFSET = 8;

    /**
     * A futex wait that nothing can end.
     *
     * @param address   uaddr
     * @param command   op without FUTEX_PRIVATE_FLAG (128) and FUTEX_CLOCK_REALTIME (256)
     * @param expected  val (for LOCK_PI: the current word)
     * @param callerTid the tid of the emulated thread making the call
     * @param attempt   1 for the first wait on this address in the current call
     */
    public record FutexWait(long address, int command, int expected, int callerTid, int attempt) {}

    /**
     * @param action      what to do
     * @param address     the futex word
     * @param newValue    for STEAL, the 32-bit value to store in the word
     * @param returnValue for STEAL, the syscall's result (rax)
     * @param message     for STOP, why; for STEAL, what was stolen from whom (for a log line)
     */
    public record FutexDecision(Action action, long address, int newValue, long returnValue, String message) {
        public enum Action {
            STEAL,
            STOP
        }
    }

    /** The thread that holds a lock, as the core shows it. */
    public record LockOwner(int tid, int gdbThreadNumber) {
        @Override
        public String toString() {
            return "thread " + gdbThreadNumber + " (LWP " + tid + ")";
        }
    }

    private final boolean bypass;
    private final List<ThreadState> threads;
    private final SymbolIndex symbols;

    /**
     * @param bypass  steal locks (true) or stop the call with a report (false)
     * @param threads the core's threads, in note order (gdb's numbering)
     * @param symbols for naming lock addresses in reports; may be null
     */
    public LockPolicy(boolean bypass, List<ThreadState> threads, SymbolIndex symbols) {
        this.bypass = bypass;
        this.threads = List.copyOf(threads);
        this.symbols = symbols;
    }

    public boolean bypass() {
        return bypass;
    }

    public FutexDecision onUnwakeableWait(FutexWait wait, ProcessMemory memory) {
        boolean pi = wait.command() == FUTEX_LOCK_PI || wait.command() == FUTEX_LOCK_PI2;
        Optional<LockOwner> owner = owner(wait.address(), pi, memory);
        String lock = "the lock at " + describe(wait.address());
        String held = owner.map(o -> "held by " + o + ", which cannot run in a core")
                .orElse("owner unknown (not a pthread_mutex_t whose __owner is one of the core's threads; glibc's "
                        + "internal locks, e.g. a malloc arena mutex, record no owner)");
        if (!bypass) {
            return new FutexDecision(
                    FutexDecision.Action.STOP,
                    wait.address(),
                    0,
                    0,
                    "the call blocks on " + lock + " (futex value " + wait.expected() + "), " + held
                            + "; lock bypass is off");
        }
        if (wait.attempt() > MAX_STEALS_PER_ADDRESS) {
            return new FutexDecision(
                    FutexDecision.Action.STOP,
                    wait.address(),
                    0,
                    0,
                    "the call waits on " + Hex.address(wait.address()) + " again after " + MAX_STEALS_PER_ADDRESS
                            + " steals: it is not a lock (a condition variable, semaphore or barrier?) and no other "
                            + "thread can end the wait; " + held);
        }
        int newValue = pi ? wait.callerTid() & FUTEX_TID_MASK : 0;
        return new FutexDecision(
                FutexDecision.Action.STEAL,
                wait.address(),
                newValue,
                0,
                "stole " + lock + ", " + owner.map(o -> "held by " + o).orElse("owner unknown"));
    }

    /**
     * The thread holding the lock at {@code lockAddress}, when the core shows one: a pthread_mutex_t's
     * {@code __owner} (offset 8), or for PI and robust mutexes the owner tid in the lock word itself, when it is
     * the tid of one of the core's threads.
     */
    public Optional<LockOwner> owner(long lockAddress, ProcessMemory memory) {
        return owner(lockAddress, false, memory);
    }

    private Optional<LockOwner> owner(long lockAddress, boolean pi, ProcessMemory memory) {
        Optional<byte[]> bytes = memory.read(lockAddress, MUTEX_OWNER_OFFSET + 4);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        int word = Bytes.getInt(bytes.get(), 0);
        if (word == 0) {
            return Optional.empty(); // free
        }
        // Normal mutexes store 1 or 2 in the word: only larger values (or a PI wait) can be a tid.
        if (pi || word > 2) {
            Optional<LockOwner> fromWord = thread(word & FUTEX_TID_MASK);
            if (fromWord.isPresent()) {
                return fromWord;
            }
        }
        return thread(Bytes.getInt(bytes.get(), MUTEX_OWNER_OFFSET));
    }

    private Optional<LockOwner> thread(int tid) {
        if (tid <= 0) {
            return Optional.empty();
        }
        for (int i = 0; i < threads.size(); i++) {
            if (threads.get(i).tid() == tid) {
                return Optional.of(new LockOwner(tid, i + 1));
            }
        }
        return Optional.empty();
    }

    private String describe(long address) {
        if (symbols == null) {
            return Hex.address(address);
        }
        Optional<SymbolLocation> location = symbols.symbolize(address);
        return Hex.address(address)
                + location.filter(l -> l.module() != null)
                        .map(l -> " (" + l.module() + "+0x" + Long.toHexString(l.moduleOffset()) + ")")
                        .orElse("");
    }
}
