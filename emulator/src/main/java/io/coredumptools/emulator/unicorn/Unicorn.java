package io.coredumptools.emulator.unicorn;

import com.sun.jna.Pointer;
import io.coredumptools.elfcore.LittleEndian;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One x86-64 unicorn engine ({@code uc_open(UC_ARCH_X86, UC_MODE_64)}). Not thread-safe: unicorn is
 * not, so one thread drives an engine, and hooks run on that thread during {@link #start}.
 *
 * <p>Every failing call throws {@link UnicornException} naming the operation, the address and
 * unicorn's error text. A Java exception thrown by a hook stops emulation and is rethrown by
 * {@link #start}, since an exception cannot cross the native frames of unicorn.
 */
public final class Unicorn implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Unicorn.class);

    private static final int UC_ARCH_X86 = 4;
    private static final int UC_MODE_64 = 8;
    /** {@code UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2)}. */
    private static final int CTL_WRITE_TB_REMOVE_CACHE = (1 << 30) | (2 << 26) | 9;
    /** {@code UC_CTL_WRITE(UC_CTL_CPU_MODEL, 1)}. */
    private static final int CTL_WRITE_CPU_MODEL = (1 << 30) | (1 << 26) | 7;
    /** {@code UC_CTL_WRITE(UC_CTL_TB_FLUSH, 0)}. */
    private static final int CTL_WRITE_TB_FLUSH = (1 << 30) | 10;

    /**
     * {@code -Dcoredumptools.translationGuard=false} turns the {@link TranslationGuard} off: unicorn then gets the
     * execute permission and translates unguarded (for measuring the guard's cost; a corrupt core can then abort).
     */
    static final boolean TRANSLATION_GUARD = !"false".equals(System.getProperty("coredumptools.translationGuard"));

    /** Engines opened and not yet closed, in this process: what a finished session must not leave behind. */
    private static final java.util.concurrent.atomic.AtomicInteger OPEN_ENGINES =
            new java.util.concurrent.atomic.AtomicInteger();

    private Pointer engine;
    /** Registered hooks: keeps their JNA callbacks reachable (see {@link HookHandle}). */
    private final Map<HookHandle, Boolean> hooks = new IdentityHashMap<>();
    /** Scratch for single 64-bit register access: one allocation per engine, not per call. */
    private final long[] registerValue = new long[1];

    private Throwable hookFailure;

    /** What the program may execute: unicorn is told nothing is, so that {@link #guard} sees every translation. */
    private final ExecutableRanges executable = new ExecutableRanges();

    /**
     * What the program may both write and execute (JIT code): the guard reads those code bytes afresh at every
     * translation, since a store of the run may have changed them.
     */
    private final ExecutableRanges writableCode = new ExecutableRanges();

    private final TranslationGuard guard = new TranslationGuard(this, executable, writableCode);

    private Unicorn(Pointer engine) {
        this.engine = engine;
    }

    /** Opens an x86-64 engine. */
    public static Unicorn openX86_64() {
        Unicorn unicorn = openWithoutGuard();
        unicorn.installGuard();
        return unicorn;
    }

    /**
     * Opens an x86-64 engine with a CPU model ({@code uc_cpu_x86}, e.g. 0 QEMU64, 53 EPYC); it must be
     * set before anything else is done with the engine.
     */
    public static Unicorn openX86_64(int cpuModel) {
        Unicorn unicorn = openWithoutGuard();
        unicorn.check(
                UnicornVarargs.INSTANCE.uc_ctl(unicorn.engine(), CTL_WRITE_CPU_MODEL, cpuModel),
                "uc_ctl(UC_CTL_CPU_MODEL, " + cpuModel + ")");
        unicorn.installGuard();
        return unicorn;
    }

    private static Unicorn openWithoutGuard() {
        long[] out = new long[1];
        check(UnicornNative.uc_open(UC_ARCH_X86, UC_MODE_64, out), "uc_open(UC_ARCH_X86, UC_MODE_64)");
        OPEN_ENGINES.incrementAndGet();
        return new Unicorn(new Pointer(out[0]));
    }

    /** How many engines are open in this process (opened and not closed). */
    public static int openEngines() {
        return OPEN_ENGINES.get();
    }

    /** The first fetch-protection hook, so that it answers before any other invalid-memory hook. */
    private void installGuard() {
        if (!TRANSLATION_GUARD) {
            return;
        }
        NativeCallbacks.InvalidMemory callback = (uc, type, address, size, value, userData) -> {
            try {
                return guard.allowFetch(address, size);
            } catch (Throwable t) {
                failInHook(t);
                return false;
            }
        };
        long[] out = new long[1];
        check(
                UnicornNative.uc_hook_add(engine(), out, HookType.MEM_FETCH_PROT, callback, null, 1, 0),
                "uc_hook_add(translation guard)");
        register(out[0], callback);
    }

    /** "2.0.1" for the library loaded. */
    public static String libraryVersion() {
        // uc_version returns (major << 24) | (minor << 16) | (patch << 8) | extra.
        int combined = UnicornNative.uc_version(null, null);
        return ((combined >>> 24) & 0xff) + "." + ((combined >>> 16) & 0xff) + "." + ((combined >>> 8) & 0xff);
    }

    // ---- memory -------------------------------------------------------------------------------------

    /** Maps {@code size} bytes at {@code address}, zero-filled, with memory unicorn allocates. */
    public void mapMemory(long address, long size, int perms) {
        check(UnicornNative.uc_mem_map(engine(), address, size, withoutExec(perms)), "uc_mem_map", address, size);
        recordExec(address, size, perms);
    }

    /**
     * Maps host memory at {@code hostAddress} as guest [address, address+size): unicorn reads and writes
     * the host pages in place. The caller keeps the host memory mapped until it unmaps the guest range.
     */
    public void mapMemoryPointer(long address, long size, int perms, long hostAddress) {
        check(
                UnicornNative.uc_mem_map_ptr(engine(), address, size, withoutExec(perms), hostAddress),
                "uc_mem_map_ptr",
                address,
                size);
        recordExec(address, size, perms);
    }

    public void unmapMemory(long address, long size) {
        check(UnicornNative.uc_mem_unmap(engine(), address, size), "uc_mem_unmap", address, size);
        executable.remove(address, address + size);
        writableCode.remove(address, address + size);
        guard.forgetBytes();
    }

    /**
     * Changes permissions. Code translated from pages that lose execute permission is dropped, so that running
     * there again faults as the CPU would.
     */
    public void protectMemory(long address, long size, int perms) {
        check(
                UnicornNative.uc_mem_protect(engine(), address, size, withoutExec(perms)),
                "uc_mem_protect(" + MemoryProtection.toRwx(perms) + ")",
                address,
                size);
        boolean losesExec = !MemoryProtection.isExecutable(perms) && executable.intersects(address, address + size);
        recordExec(address, size, perms);
        if (losesExec) {
            removeTranslationCacheAcrossRegions(address, address + size);
        }
    }

    /**
     * Unicorn never gets the execute permission (see {@link TranslationGuard}): it would then translate without
     * asking the guard.
     */
    private static int withoutExec(int perms) {
        return TRANSLATION_GUARD ? perms & ~MemoryProtection.EXEC : perms;
    }

    private void recordExec(long address, long size, int perms) {
        if (MemoryProtection.isExecutable(perms)) {
            executable.add(address, address + size);
        } else {
            executable.remove(address, address + size);
        }
        if (MemoryProtection.isExecutable(perms) && MemoryProtection.isWritable(perms)) {
            writableCode.add(address, address + size);
        } else {
            writableCode.remove(address, address + size);
        }
        guard.forgetBytes();
    }

    public void readMemory(long address, byte[] destination) {
        check(
                UnicornNative.uc_mem_read(engine(), address, destination, destination.length),
                "uc_mem_read",
                address,
                destination.length);
    }

    public byte[] readMemory(long address, int length) {
        byte[] bytes = new byte[length];
        readMemory(address, bytes);
        return bytes;
    }

    /**
     * Writes through unicorn. Unicorn 2 writes even where the guest may not (read-only text): this is
     * how a debugger plants breakpoints.
     */
    public void writeMemory(long address, byte[] bytes) {
        check(
                UnicornNative.uc_mem_write(engine(), address, bytes, bytes.length),
                "uc_mem_write",
                address,
                bytes.length);
        guard.forgetBytes();
    }

    public long readLong(long address) {
        return LittleEndian.i64(readMemory(address, 8), 0);
    }

    public void writeLong(long address, long value) {
        writeMemory(address, LittleEndian.ofLong(value));
    }

    /** The regions unicorn has mapped, in address order ({@code uc_mem_regions}). */
    public List<UnicornRegion> regions() {
        long[] regionsOut = new long[1];
        int[] countOut = new int[1];
        check(UnicornNative.uc_mem_regions(engine(), regionsOut, countOut), "uc_mem_regions");
        Pointer array = new Pointer(regionsOut[0]);
        List<UnicornRegion> result = new ArrayList<>(countOut[0]);
        try {
            // struct uc_mem_region { uint64_t begin; uint64_t end (inclusive); uint32_t perms; } = 24 bytes
            for (int i = 0; i < countOut[0]; i++) {
                long offset = 24L * i;
                long begin = array.getLong(offset);
                int perms = array.getInt(offset + 16);
                if (executable.contains(begin)) {
                    perms |= MemoryProtection.EXEC; // what the program may do, which unicorn is not told
                }
                result.add(new UnicornRegion(begin, array.getLong(offset + 8) + 1, perms));
            }
        } finally {
            if (regionsOut[0] != 0) {
                UnicornNative.uc_free(array);
            }
        }
        result.sort((a, b) -> Long.compareUnsigned(a.begin(), b.begin()));
        return result;
    }

    /**
     * Drops translated code for guest [begin, end) ({@code UC_CTL_TB_REMOVE_CACHE}): needed after code
     * bytes change behind unicorn's back (a host-side revert). The range must lie within one mapped
     * region: unicorn converts {@code begin} to its RAM offset and assumes the rest is contiguous.
     */
    public void removeTranslationCache(long begin, long end) {
        check(
                UnicornVarargs.INSTANCE.uc_ctl(engine(), CTL_WRITE_TB_REMOVE_CACHE, begin, end),
                "uc_ctl(UC_CTL_TB_REMOVE_CACHE)",
                begin,
                end - begin);
    }

    /** {@link #removeTranslationCache} for a range that may span several regions (unmapped parts are skipped). */
    private void removeTranslationCacheAcrossRegions(long begin, long end) {
        for (UnicornRegion region : regions()) {
            long from = Long.compareUnsigned(region.begin(), begin) > 0 ? region.begin() : begin;
            long to = Long.compareUnsigned(region.end(), end) < 0 ? region.end() : end;
            if (Long.compareUnsigned(from, to) < 0) {
                removeTranslationCache(from, to);
            }
        }
    }

    /** Drops all translated code ({@code UC_CTL_TB_FLUSH}). */
    public void flushTranslationCache() {
        check(UnicornVarargs.INSTANCE.uc_ctl(engine(), CTL_WRITE_TB_FLUSH), "uc_ctl(UC_CTL_TB_FLUSH)");
    }

    // ---- registers ----------------------------------------------------------------------------------

    public long readRegister(X86Register register) {
        // Unicorn writes only the register's own width (4 bytes of EFLAGS, 2 of a selector): clear the rest.
        registerValue[0] = 0;
        check(UnicornNative.uc_reg_read(engine(), register.id(), registerValue), "uc_reg_read", register);
        return registerValue[0];
    }

    public void writeRegister(X86Register register, long value) {
        registerValue[0] = value;
        check(UnicornNative.uc_reg_write(engine(), register.id(), registerValue), "uc_reg_write", register);
    }

    /** XMM (16 bytes, little-endian) or ST (10 bytes) registers. */
    public byte[] readWideRegister(X86Register register) {
        byte[] value = new byte[Math.max(16, register.width())];
        check(UnicornNative.uc_reg_read(engine(), register.id(), value), "uc_reg_read", register);
        return java.util.Arrays.copyOf(value, register.width());
    }

    public void writeWideRegister(X86Register register, byte[] value) {
        if (value.length != register.width()) {
            throw new IllegalArgumentException(register + " takes " + register.width() + " bytes, got " + value.length);
        }
        byte[] padded = java.util.Arrays.copyOf(value, 16);
        check(UnicornNative.uc_reg_write(engine(), register.id(), padded), "uc_reg_write", register);
    }

    /** Reads the registers of {@code batch} in one call into {@code values}. */
    public void readRegisters(RegisterBatch batch, long[] values) {
        readRegisters(batch);
        batch.copyOut(values);
    }

    public void writeRegisters(RegisterBatch batch, long[] values) {
        batch.copyIn(values);
        writeRegisters(batch);
    }

    /** Reads every register of {@code batch} into its value slots (one native call). */
    public void readRegisters(RegisterBatch batch) {
        batch.clearValues();
        check(
                UnicornNative.uc_reg_read_batch(engine(), batch.ids(), batch.valuePointers(), batch.size()),
                "uc_reg_read_batch");
    }

    /** Writes every register of {@code batch} from its value slots (one native call). */
    public void writeRegisters(RegisterBatch batch) {
        check(
                UnicornNative.uc_reg_write_batch(engine(), batch.ids(), batch.valuePointers(), batch.size()),
                "uc_reg_write_batch");
    }

    // ---- execution ----------------------------------------------------------------------------------

    /**
     * Runs from {@code begin} until RIP reaches {@code until}, {@code timeoutMicros} passes (0: none),
     * {@code count} instructions have run (0: no limit), a hook calls {@link #stop()}, or an error.
     *
     * @throws UnicornException on an emulation error (with the RIP where it stopped), or wrapping the
     *                          exception a hook threw
     */
    public void start(long begin, long until, long timeoutMicros, long count) {
        int error = run(begin, until, timeoutMicros, count);
        Throwable failure = takeHookFailure();
        if (failure != null) {
            throw new UnicornException(
                    "a hook failed during emulation started at 0x" + Long.toHexString(begin) + ": "
                            + failure.getMessage(),
                    failure);
        }
        if (error != UnicornErrors.OK) {
            throw new UnicornException(
                    "uc_emu_start(begin=0x" + Long.toHexString(begin) + ", until=0x" + Long.toHexString(until)
                            + ") stopped with RIP=0x" + Long.toHexString(readRegister(X86Register.RIP)),
                    error);
        }
    }

    /**
     * Runs as {@link #start} does but reports how it ended as a value: unicorn's error code ({@link UnicornErrors},
     * {@link UnicornErrors#OK} when it stopped normally). A hook's exception is kept for {@link #takeHookFailure}.
     */
    public int run(long begin, long until, long timeoutMicros, long count) {
        hookFailure = null;
        guard.startRun();
        int error = UnicornNative.uc_emu_start(engine(), begin, until, timeoutMicros, count);
        if (guard.refusing()) {
            error = runToRefusedInstruction(error, timeoutMicros, count);
        }
        return error;
    }

    /**
     * The guard refused an instruction while unicorn translated the block that holds it, so nothing of that block
     * ran: run the instructions before it (unicorn ends a block at the end address before translating what lies
     * there), then report it as the CPU does, an invalid instruction at its address with the registers of that
     * point. Anything else that stops those instructions (a breakpoint, a fault, the budget) is reported instead.
     */
    private int runToRefusedInstruction(int error, long timeoutMicros, long count) {
        long instruction = guard.refusedInstruction();
        long block = guard.refusedBlock();
        guard.clearRefusal();
        if (error != UnicornErrors.FETCH_PROT || hookFailure != null) {
            return error;
        }
        long pc = readRegister(X86Register.RIP);
        if (pc != instruction) {
            guard.startRun();
            error = UnicornNative.uc_emu_start(engine(), pc, instruction, timeoutMicros, count);
            // That block was translated to end at the instruction: a later run must translate it afresh.
            removeTranslationCacheAcrossRegions(block, instruction + 1);
            if (guard.refusing()) {
                guard.clearRefusal(); // not expected: the decode put no other refused instruction before it
                return UnicornErrors.INSN_INVALID;
            }
            if (error != UnicornErrors.OK || hookFailure != null || count == 1) {
                return error; // a single step ran one instruction before it: the next step meets it
            }
            pc = readRegister(X86Register.RIP);
        }
        return pc == instruction ? UnicornErrors.INSN_INVALID : error;
    }

    /** The exception a hook threw during the last run (which it stopped), if any; cleared by the call. */
    public Throwable takeHookFailure() {
        Throwable failure = hookFailure;
        hookFailure = null;
        return failure;
    }

    /** Asks emulation to stop after the current instruction; for use from hooks. */
    public void stop() {
        check(UnicornNative.uc_emu_stop(engine()), "uc_emu_stop");
    }

    // ---- hooks --------------------------------------------------------------------------------------

    /** Calls {@code hook} before every instruction in [begin, end]; begin > end hooks everywhere. */
    public HookHandle addCodeHook(long begin, long end, CodeHook hook) {
        NativeCallbacks.Code callback = (uc, address, size, userData) -> {
            try {
                hook.onInstruction(this, address, size);
            } catch (Throwable t) {
                failInHook(t);
            }
        };
        return addHook(HookType.CODE, callback, begin, end, "code hook");
    }

    /**
     * A code hook callback to register at many addresses ({@link #addCodeHook(long, long, SharedCallback)}):
     * JNA builds one native trampoline per callback object, which costs far more than registering it again.
     */
    public SharedCallback sharedCodeCallback(CodeHook hook) {
        NativeCallbacks.Code callback = (uc, address, size, userData) -> {
            try {
                hook.onInstruction(this, address, size);
            } catch (Throwable t) {
                failInHook(t);
            }
        };
        return new SharedCallback(callback, HookType.CODE);
    }

    /** A memory access hook callback to register for many ranges, as {@link #sharedCodeCallback}. */
    public SharedCallback sharedMemoryAccessCallback(MemoryAccessHook hook) {
        NativeCallbacks.MemoryAccess callback = (uc, type, address, size, value, userData) -> {
            try {
                hook.onAccess(this, MemoryAccessType.of(type), address, size, value);
            } catch (Throwable t) {
                failInHook(t);
            }
        };
        return new SharedCallback(callback, HookType.MEM_READ | HookType.MEM_WRITE);
    }

    /** Registers a shared code callback for [begin, end]. */
    public HookHandle addCodeHook(long begin, long end, SharedCallback callback) {
        if (callback.types() != HookType.CODE) {
            throw new IllegalArgumentException("not a code hook callback");
        }
        return addHook(HookType.CODE, callback.callback(), begin, end, "code hook");
    }

    /** Registers a shared memory access callback for accesses of the chosen kinds to [begin, end]. */
    public HookHandle addMemoryAccessHook(
            long begin, long end, boolean reads, boolean writes, SharedCallback callback) {
        if (callback.types() == HookType.CODE) {
            throw new IllegalArgumentException("not a memory access hook callback");
        }
        int type = (reads ? HookType.MEM_READ : 0) | (writes ? HookType.MEM_WRITE : 0);
        if (type == 0) {
            throw new IllegalArgumentException("a memory access hook needs reads, writes or both");
        }
        return addHook(type, callback.callback(), begin, end, "memory access hook");
    }

    public HookHandle addInterruptHook(InterruptHook hook) {
        NativeCallbacks.Interrupt callback = (uc, number, userData) -> {
            try {
                hook.onInterrupt(this, number);
            } catch (Throwable t) {
                failInHook(t);
            }
        };
        return addHook(HookType.INTR, callback, 1, 0, "interrupt hook");
    }

    /** Hooks the {@code syscall} instruction (UC_HOOK_INSN with UC_X86_INS_SYSCALL). */
    public HookHandle addSyscallHook(SyscallHook hook) {
        NativeCallbacks.Syscall callback = (uc, userData) -> {
            try {
                hook.onSyscall(this);
            } catch (Throwable t) {
                failInHook(t);
            }
        };
        long[] out = new long[1];
        check(
                UnicornVarargs.INSTANCE.uc_hook_add(
                        engine(), out, HookType.INSN, callback, null, 1L, 0L, HookType.X86_INS_SYSCALL),
                "uc_hook_add(syscall hook)");
        return register(out[0], callback);
    }

    /** Hooks accesses to unmapped memory and protection violations (UC_HOOK_MEM_INVALID). */
    public HookHandle addInvalidMemoryHook(InvalidMemoryHook hook) {
        NativeCallbacks.InvalidMemory callback = (uc, type, address, size, value, userData) -> {
            if (guard.refusing()) {
                return false; // not a fault of the program: the guard stops a translation (see run)
            }
            try {
                return hook.onInvalidAccess(this, MemoryAccessType.of(type), address, size, value);
            } catch (Throwable t) {
                failInHook(t);
                return false;
            }
        };
        return addHook(HookType.MEM_INVALID, callback, 1, 0, "invalid memory hook");
    }

    /**
     * Calls {@code hook} on every valid data access in [begin, end] of the chosen kinds (for watchpoints):
     * reads, writes or both.
     */
    public HookHandle addMemoryAccessHook(long begin, long end, boolean reads, boolean writes, MemoryAccessHook hook) {
        NativeCallbacks.MemoryAccess callback = (uc, type, address, size, value, userData) -> {
            try {
                hook.onAccess(this, MemoryAccessType.of(type), address, size, value);
            } catch (Throwable t) {
                failInHook(t);
            }
        };
        int type = (reads ? HookType.MEM_READ : 0) | (writes ? HookType.MEM_WRITE : 0);
        if (type == 0) {
            throw new IllegalArgumentException("a memory access hook needs reads, writes or both");
        }
        return addHook(type, callback, begin, end, "memory access hook");
    }

    public void removeHook(HookHandle handle) {
        if (hooks.remove(handle) == null) {
            throw new IllegalArgumentException("the hook is not registered on this engine");
        }
        check(UnicornNative.uc_hook_del(engine(), handle.nativeHandle()), "uc_hook_del");
    }

    private HookHandle addHook(int type, com.sun.jna.Callback callback, long begin, long end, String what) {
        long[] out = new long[1];
        check(
                UnicornVarargs.INSTANCE.uc_hook_add(engine(), out, type, callback, null, begin, end),
                "uc_hook_add(" + what + ")");
        return register(out[0], callback);
    }

    private HookHandle register(long nativeHandle, Object callback) {
        HookHandle handle = new HookHandle(nativeHandle, callback);
        hooks.put(handle, Boolean.TRUE);
        return handle;
    }

    private void failInHook(Throwable t) {
        if (hookFailure == null) {
            hookFailure = t;
        } else {
            hookFailure.addSuppressed(t);
        }
        UnicornNative.uc_emu_stop(engine);
    }

    // ---- contexts -----------------------------------------------------------------------------------

    /** Saves every register into a new context. */
    public UnicornContext saveContext() {
        long[] out = new long[1];
        check(UnicornNative.uc_context_alloc(engine(), out), "uc_context_alloc");
        UnicornContext context = new UnicornContext(new Pointer(out[0]));
        saveContext(context);
        return context;
    }

    public void saveContext(UnicornContext context) {
        check(UnicornNative.uc_context_save(engine(), context.pointer()), "uc_context_save");
    }

    public void restoreContext(UnicornContext context) {
        check(UnicornNative.uc_context_restore(engine(), context.pointer()), "uc_context_restore");
    }

    // ---- lifecycle ----------------------------------------------------------------------------------

    @Override
    public void close() {
        if (engine != null) {
            int error = UnicornNative.uc_close(engine);
            engine = null;
            OPEN_ENGINES.decrementAndGet();
            hooks.clear();
            guard.close();
            if (error != UnicornErrors.OK) {
                log.warn("uc_close failed: {}", UnicornErrors.describe(error));
            }
        }
    }

    private Pointer engine() {
        if (engine == null) {
            throw new IllegalStateException("the unicorn engine is closed");
        }
        return engine;
    }

    private static void check(int error, String operation) {
        if (error != UnicornErrors.OK) {
            throw new UnicornException(operation, error);
        }
    }

    private static void check(int error, String operation, X86Register register) {
        if (error != UnicornErrors.OK) {
            throw new UnicornException(operation + "(" + register + ")", error);
        }
    }

    private static void check(int error, String operation, long address, long size) {
        if (error != UnicornErrors.OK) {
            throw new UnicornException(
                    operation + " of [0x" + Long.toHexString(address) + "-0x" + Long.toHexString(address + size) + ")",
                    error);
        }
    }
}
