package io.coredumptools.emulator;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.InitialStack;
import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.ProcessInfo;
import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.elfcore.UnusableCoreException;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.files.ResolvedFile;
import io.coredumptools.elfcore.symbols.Symbol;
import io.coredumptools.elfcore.symbols.SymbolIndex;
import io.coredumptools.emulator.call.CallEngine;
import io.coredumptools.emulator.call.InstructionTrace;
import io.coredumptools.emulator.call.Symbolizer;
import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.emulator.debug.ResumeRequest;
import io.coredumptools.emulator.debug.Stop;
import io.coredumptools.emulator.memory.ImageRegion;
import io.coredumptools.emulator.memory.MemoryAccessException;
import io.coredumptools.emulator.memory.MemoryImage;
import io.coredumptools.emulator.memory.MemoryLimits;
import io.coredumptools.emulator.memory.ResourceLimitException;
import io.coredumptools.emulator.memory.Snapshots;
import io.coredumptools.emulator.memory.UnbackedRange;
import io.coredumptools.emulator.nativeio.PageSize;
import io.coredumptools.emulator.scope.CallScope;
import io.coredumptools.emulator.scope.RestoreMode;
import io.coredumptools.emulator.syscall.LockWaitPolicy;
import io.coredumptools.emulator.syscall.ProcessIdentity;
import io.coredumptools.emulator.syscall.ProgramBreak;
import io.coredumptools.emulator.syscall.SyscallEmulator;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.patches.CodeRunException;
import io.coredumptools.patches.CodeRunner;
import io.coredumptools.patches.GlibcPatches;
import io.coredumptools.patches.LockPolicy;
import io.coredumptools.patches.Patch;
import io.coredumptools.patches.PatchOptions;
import io.coredumptools.patches.PatchPlan;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A core dump whose functions can be called: the Java API of the emulator.
 *
 * <pre>{@code
 * try (Emulator emu = Emulator.open(Path.of("core"), EmulatorOptions.defaults())) {
 *     long id = emu.call("next_id").rax();
 *     try (ScratchMemory name = emu.reserve(16)) {
 *         long greeting = emu.call("greet", Argument.of(name.writeCString("bob"))).rax();
 *         System.out.println(emu.readCString(greeting, 256));
 *     }
 * }
 * }</pre>
 *
 * <p>What each call starts from is the {@link CallScope}'s to decide ({@link #scope()}), for the Java API as for a
 * debugger. By default ({@link RestoreMode#PER_CALL}) every call starts from the crash image (memory restored first),
 * so calls do not see each other's side effects; what a call returned (a {@code char*} into the heap) stays readable
 * until the next call. Keep-state ({@link EmulatorOptions#keepState}) is {@link RestoreMode#SESSION}: calls chain on
 * what the calls before them left, except after a failed call. {@code scope().setMode(RestoreMode.AUTO)} gives the
 * debugger's call model. Not thread-safe, except {@link #interrupt()}.
 */
public final class Emulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Emulator.class);
    /** Resolvers run a few hundred instructions; a time bound keeps a broken one from stalling the load. */
    private static final CallBudget RESOLVER_BUDGET = new CallBudget(0, java.time.Duration.ofSeconds(2));

    private final CoreDump core;
    private final Unicorn unicorn;
    private final MemoryImage image;
    private final Snapshots snapshots;
    private final SyscallEmulator syscalls;
    private final CallEngine engine;
    private final Symbolizer symbolizer;
    private final Map<String, Long> resolvedFunctions = new HashMap<>();
    private final EmulatorProcessMemory processMemory;
    private final PatchPlan patchPlan;
    private EmulatorOptions options;
    private int threadIndex;
    private boolean changedSinceRestore;
    private StdoutBuffer stdoutBuffer;
    /** What stdout's buffer held in the crash image, as {address, length}. */
    private Optional<long[]> crashTimeStdout = Optional.empty();
    /** Memory given to the debugger ({@link #allocate}, {@link #keepMapping}): address to size. */
    private final Map<Long, Long> allocations = new HashMap<>();

    private long allocatedBytes;

    private final boolean ownsCore;
    /** The working directory the core tells (PWD, or the executable's path), for getcwd. */
    private final Optional<String> workingDirectory;
    /** Decides what each call starts from (the restore policy), for the Java API and the debuggers alike. */
    private final CallScope scope;

    private Emulator(CoreDump core, EmulatorOptions options, PatchPlan precomputedPlan, boolean ownsCore) {
        this.core = core;
        this.ownsCore = ownsCore;
        this.options = options;
        this.unicorn = Unicorn.openX86_64();
        this.image = loadImage(unicorn, core);
        image.setLimits(options.limits());
        this.workingDirectory =
                InitialStack.of(core).workingDirectory(core.executable().map(ResolvedFile::recordedPath));
        this.symbolizer = new Symbolizer(core.symbols());
        this.processMemory = new EmulatorProcessMemory(image);
        this.syscalls = new SyscallEmulator(image, this::crashTimeProgramBreak, stopAtEveryLockWait());
        this.engine = new CallEngine(unicorn, image, syscalls, symbolizer);
        this.snapshots = new Snapshots(image);
        snapshots.markBase();
        selectThread(0);
        this.patchPlan = precomputedPlan != null ? precomputedPlan : planPatches();
        applyPatches();
        syscalls.setLockWaitPolicy(lockWaitPolicy());
        crashTimeStdout = stdoutBuffer().pendingBytes();
        crashTimeStdout.ifPresent(p -> syscalls.setPendingStdout(p[0], p[1]));
        this.scope = new CallScope(this, modeOf(options));
    }

    /** Keep-state chains the calls (session); otherwise every call starts from the crash image (per-call). */
    private static RestoreMode modeOf(EmulatorOptions options) {
        return options.keepState() ? RestoreMode.SESSION : RestoreMode.PER_CALL;
    }

    /** Maps the core's memory; a core whose memory cannot be mapped is an unusable core, not a crash. */
    private static MemoryImage loadImage(Unicorn unicorn, CoreDump core) {
        try {
            return MemoryImage.load(unicorn, core);
        } catch (RuntimeException e) {
            unicorn.close();
            throw new UnusableCoreException(
                    new CoreFormatException(core.path(), "its memory cannot be mapped: " + e.getMessage(), e));
        }
    }

    /**
     * Decides the load-time patches (glibc-patches), running IFUNC resolvers here; their memory effects are
     * reverted before the patches become part of the base image.
     */
    private PatchPlan planPatches() {
        CodeRunner runner = (function, args) -> {
            List<Argument> arguments = new ArrayList<>();
            for (long a : args) {
                arguments.add(Argument.of(a));
            }
            CallEngine.Outcome outcome = engine.call(core.threads().get(0), function, arguments, RESOLVER_BUDGET);
            if (outcome.fault().isPresent()) {
                throw new CodeRunException(outcome.fault().get().headline());
            }
            return outcome.result().orElseThrow().rax();
        };
        PatchPlan plan = GlibcPatches.plan(
                core, runner, processMemory, PatchOptions.defaults().withLockBypass(options.lockBypass()));
        restoreCrashImage();
        return plan;
    }

    private void applyPatches() {
        int applied = 0;
        for (Patch patch : patchPlan.patches()) {
            byte[] current;
            try {
                current = image.read(patch.address(), patch.length());
            } catch (MemoryAccessException e) {
                log.warn("patch {} skipped: {}", patch.describe(), e.getMessage());
                continue;
            }
            if (!Arrays.equals(current, patch.oldBytes())) {
                log.warn("patch {} skipped: the bytes there are not the expected ones", patch.describe());
                continue;
            }
            image.writePatch(patch.address(), patch.newBytes());
            applied++;
        }
        log.debug(
                "applied {} of {} load-time patches",
                applied,
                patchPlan.patches().size());
    }

    /** The load-time patches and what was decided (for {@code corestub info --patches}). */
    public PatchPlan patches() {
        return patchPlan;
    }

    /**
     * Opens a core for calls: maps its memory lazily (nothing is read up front).
     *
     * @throws CoreFormatException when the file is not an x86-64 core code can run on (see
     *     {@link CoreDump#checkUsableForExecution}), naming the file and the problem
     */
    public static Emulator open(Path corePath, EmulatorOptions options) throws CoreFormatException {
        long started = System.nanoTime();
        CoreDump core = CoreDump.open(corePath, options.core());
        try {
            core.checkUsableForExecution();
            Emulator emulator;
            try {
                emulator = new Emulator(core, options, null, true);
            } catch (UnusableCoreException e) {
                throw e.problem();
            }
            log.debug("emulator ready for {} in {} ms", corePath, (System.nanoTime() - started) / 1_000_000);
            return emulator;
        } catch (CoreFormatException | RuntimeException e) {
            core.close();
            throw e;
        }
    }

    /**
     * Another engine over an already open core, with its own memory view and registers (one per debugger
     * connection). {@code plan} reuses the load-time patches another engine decided (null: decide them here).
     * Closing it leaves the core open.
     *
     * @throws UnusableCoreException when code cannot run on the core (its {@code problem()} is the typed error)
     */
    public static Emulator openShared(CoreDump core, PatchPlan plan, EmulatorOptions options) {
        try {
            core.checkUsableForExecution();
        } catch (CoreFormatException e) {
            throw new UnusableCoreException(e);
        }
        return new Emulator(core, options, plan, false);
    }

    /**
     * Resumes a thread from {@code registers} (updated in place) as a debugger asks: one instruction, or
     * until a breakpoint, watchpoint, fault or the budget.
     */
    public Stop resume(RegisterFile registers, ResumeRequest request) {
        changedSinceRestore = true;
        return engine.resume(registers, request);
    }

    /**
     * Runs {@code fflush(NULL)} as housekeeping (not traced, not a call of the user's) and returns what it wrote:
     * what the last calls left in stdio buffers. Text the program had buffered before it crashed is not part of
     * it. Empty when the program has no fflush or the flush fails.
     */
    public byte[] flushStdio() {
        Optional<Symbol> fflush = symbols().lookup("fflush");
        if (fflush.isEmpty()) {
            return new byte[0];
        }
        changedSinceRestore = true;
        engine.beginTracedCall(true);
        CallEngine.Outcome flushed;
        try {
            flushed = engine.call(selectedThread(), fflush.get().address(), List.of(Argument.of(0L)), options.budget());
        } finally {
            engine.endHousekeeping();
        }
        if (flushed.result().isEmpty()) {
            log.debug(
                    "fflush(NULL) after the call failed: {}",
                    flushed.fault().map(EmulationFault::headline).orElse(""));
            return new byte[0];
        }
        return flushed.result().get().output();
    }

    /**
     * {@link #flushStdio()} when stdout's buffer may hold text of the last calls; nothing when it holds what it
     * held at the crash (most often: nothing). Skips the emulated {@code fflush(NULL)}, a whole call, after every
     * call that printed nothing. A live process flushes nothing when a debugger's call returns; the flush is there
     * so that what a call printed to a fully buffered stdout is seen. Without a {@code stdout} symbol: always.
     */
    public byte[] flushStdioIfBuffered() {
        if (stdoutBuffer().knowsStdout()) {
            Optional<long[]> pending = stdoutBuffer().pendingBytes();
            boolean asAtTheCrash = pending.isEmpty()
                    || (crashTimeStdout.isPresent() && Arrays.equals(pending.get(), crashTimeStdout.get()));
            if (asAtTheCrash) {
                return new byte[0];
            }
        }
        return flushStdio();
    }

    /** Whether memory may differ from the crash image (a call or resume ran since the last restore). */
    public boolean changedSinceRestore() {
        return changedSinceRestore;
    }

    public CoreDump core() {
        return core;
    }

    public SymbolIndex symbols() {
        return core.symbols();
    }

    public List<ThreadState> threads() {
        return core.threads();
    }

    public EmulatorOptions options() {
        return options;
    }

    /** Calls run on this thread (0 = the first, the one that took the fatal signal): its registers and TLS. */
    public void selectThread(int index) {
        if (index < 0 || index >= core.threads().size()) {
            throw new IllegalArgumentException("no thread " + (index + 1) + ": the core has "
                    + core.threads().size());
        }
        threadIndex = index;
        Optional<ProcessInfo> process = core.process();
        syscalls.setIdentity(new ProcessIdentity(
                core.pid(),
                process.map(ProcessInfo::ppid).orElse(0),
                core.threads().get(index).tid(),
                process.map(ProcessInfo::uid).orElse(0),
                process.map(ProcessInfo::gid).orElse(0),
                workingDirectory));
    }

    public ThreadState selectedThread() {
        return core.threads().get(threadIndex);
    }

    /** Keep-state on ({@link RestoreMode#SESSION}) or off ({@link RestoreMode#PER_CALL}): sets the scope's mode. */
    public void setKeepState(boolean keep) {
        options = options.withKeepState(keep);
        scope.setMode(modeOf(options));
    }

    /** The one scope of this emulator's calls: its mode, its decisions and their counts. */
    public CallScope scope() {
        return scope;
    }

    public void setBudget(CallBudget budget) {
        options = options.withBudget(budget);
    }

    /**
     * Lets calls take locks other threads held at crash time (on), or stops them with a report naming the
     * lock and its owner (off). Spinlock and rwlock entry patches are decided at load, by the option given then.
     */
    public void setLockBypass(boolean bypass) {
        options = options.withLockBypass(bypass);
        syscalls.setLockWaitPolicy(lockWaitPolicy());
    }

    /** Records every executed instruction (at most {@code limit} lines); 0 turns tracing off. */
    public void setTrace(int limit) {
        engine.setTrace(limit);
    }

    public Optional<InstructionTrace> trace() {
        return engine.trace();
    }

    // ---- calls --------------------------------------------------------------------------------------

    /** Calls a function by name; an IFUNC name calls the implementation the process uses. */
    public CallResult call(String function, Argument... arguments) throws CallFailedException {
        return call(resolveFunction(function), arguments);
    }

    public CallResult call(long address, Argument... arguments) throws CallFailedException {
        return call(address, Argument.LONG, arguments);
    }

    /**
     * Calls the function at {@code address} and reads its result as {@code returnType} ({@link CallResult#value()}).
     *
     * @throws IllegalArgumentException when an argument's type cannot be passed by value
     */
    public CallResult call(long address, CType returnType, Argument... arguments) throws CallFailedException {
        scope.beforeCall(threadIndex, inputWords(arguments));
        changedSinceRestore = true;
        engine.beginTracedCall(false);
        long bufferedBefore = options.flushStdio() ? stdoutBuffer().writePointer() : 0;
        CallEngine.Outcome outcome =
                engine.call(selectedThread(), address, returnType, Arrays.asList(arguments), options.budget());
        if (outcome.fault().isPresent()) {
            scope.afterCall(Optional.empty(), Optional.of(outcome.fault().get().headline()));
            throw new CallFailedException(outcome.fault().get());
        }
        CallResult result = outcome.result().orElseThrow();
        scope.afterCall(Optional.of(result.rax()), Optional.empty());
        if (options.flushStdio() && stdoutBuffer().writePointer() != bufferedBefore) {
            result = withFlushedOutput(result);
        }
        return result;
    }

    /** The call left text in stdout's buffer: flush it so the caller sees what the function printed. */
    private CallResult withFlushedOutput(CallResult result) {
        byte[] more = flushStdio();
        if (more.length == 0) {
            return result;
        }
        byte[] all = Arrays.copyOf(result.output(), result.output().length + more.length);
        System.arraycopy(more, 0, all, result.output().length, more.length);
        return result.withOutput(all);
    }

    private StdoutBuffer stdoutBuffer() {
        if (stdoutBuffer == null) {
            stdoutBuffer = new StdoutBuffer(this);
        }
        return stdoutBuffer;
    }

    /** Stops the running call from another thread; it ends in an {@link FaultKind#INTERRUPTED} fault. */
    public void interrupt() {
        engine.interrupt();
    }

    /** The address a name refers to for a call; IFUNC symbols resolve by running their resolver. */
    public long resolveFunction(String name) throws CallFailedException {
        Long known = resolvedFunctions.get(name);
        if (known != null) {
            return known;
        }
        Symbol symbol = symbols()
                .lookup(name)
                .orElseThrow(
                        () -> new IllegalArgumentException("no function named '" + name + "' in the core's objects"));
        long address = symbol.address();
        if (symbol.isIfunc()) {
            // Housekeeping, not a call of the user's: the scope does not decide it (a resolver reads CPU features and
            // writes only its own stack); in per-call mode the next call still restores first.
            changedSinceRestore = true;
            CallEngine.Outcome outcome = engine.call(selectedThread(), symbol.address(), List.of(), options.budget());
            if (outcome.fault().isPresent()) {
                throw new CallFailedException(outcome.fault().get());
            }
            address = outcome.result().orElseThrow().rax();
        }
        resolvedFunctions.put(name, address);
        return address;
    }

    /** Each 8-byte word of each argument's value (zero-extended): what the scope checks as the call's inputs. */
    private static List<Long> inputWords(Argument... arguments) {
        List<Long> words = new ArrayList<>();
        for (Argument argument : arguments) {
            byte[] bytes = argument.bytes();
            for (int at = 0; at < bytes.length; at += 8) {
                words.add(LittleEndian.value(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 8))));
            }
        }
        return words;
    }

    /** Reverts memory to the crash image (with the load-time patches); scratch memory is kept. */
    public void restoreCrashImage() {
        snapshots.restoreBase();
        syscalls.onRestore();
        changedSinceRestore = false;
    }

    /**
     * Back to the crash image itself: the debugger's base writes ({@link #writeBase}) are forgotten (the load-time
     * patches stay), then memory is restored as {@link #restoreCrashImage} does.
     */
    public void forgetBaseWrites() {
        image.forgetBaseWrites();
        restoreCrashImage();
    }

    // ---- memory -------------------------------------------------------------------------------------

    /** Reserves {@code size} bytes of zeroed scratch memory that survives restores until closed. */
    public ScratchMemory reserve(long size) {
        return new ScratchMemory(this, mapPersistent(size, MemoryProtection.READ | MemoryProtection.WRITE), size);
    }

    private long mapPersistent(long size, int perms) {
        long pages = PageSize.alignUp(Math.max(1, size));
        long address = image.findFreeRange(pages);
        image.mapPersistentAnonymous(address, pages, perms);
        return address;
    }

    /**
     * Maps {@code size} bytes of zero pages with {@code perms} ({@link MemoryProtection} bits) outside every
     * core mapping, for the debugger's own use (lldb's {@code _M}): they survive restores and snapshot
     * restores until {@link #deallocate}. Returns the address.
     */
    public long allocate(long size, int perms) {
        long pages = PageSize.alignUp(Math.max(1, size));
        long limit = options.limits().debuggerAllocationBytes();
        if (size < 0 || pages <= 0 || pages > limit - allocatedBytes) {
            throw new ResourceLimitException(
                    "debugger allocation bytes",
                    limit,
                    allocatedBytes,
                    "cannot allocate 0x" + Long.toHexString(size) + " more bytes",
                    "free some first");
        }
        long address = mapPersistent(pages, perms);
        allocations.put(address, pages);
        allocatedBytes += pages;
        return address;
    }

    /**
     * Unmaps memory {@link #allocate} or {@link #keepMapping} gave the debugger; false for any other address
     * (scratch memory from {@link #reserve} belongs to its {@link ScratchMemory}).
     */
    public boolean deallocate(long address) {
        Long size = allocations.remove(address);
        if (size == null) {
            return false;
        }
        image.unmap(address, size);
        allocatedBytes -= size;
        return true;
    }

    /**
     * Keeps the region an emulated {@code mmap} made at {@code address} across restores, as if
     * {@link #allocate} had made it (a debugger had the process mmap memory for itself). False when no
     * region made by a call starts there.
     */
    public boolean keepMapping(long address) {
        Optional<ImageRegion> region = image.regionAt(address);
        if (region.isEmpty() || region.get().start() != address || !image.persist(address)) {
            return false;
        }
        allocations.put(address, region.get().size());
        allocatedBytes += region.get().size();
        return true;
    }

    /**
     * Every mapped region in address order: the core's memory, the calls' and the debugger's. A region's
     * {@link ImageRegion#source()} says where its bytes come from: {@code CORE} (the core's data), {@code FILE}
     * (a mapped file on this machine, for memory the core left out: gcore leaves out every unmodified file-backed
     * segment, the kernel most of them), {@code ZERO_FILL} or {@code ANONYMOUS}.
     */
    public List<ImageRegion> regions() {
        return image.regions();
    }

    /** The region mapped at {@code address}, if any (one lookup, unlike {@link #regions()}). */
    public Optional<ImageRegion> regionAt(long address) {
        return image.regionAt(address);
    }

    /** The process memory nothing backs (missing files, a cut core, what was not dumped), with the reason each. */
    public List<UnbackedRange> unbackedRanges() {
        return image.unbackedRanges();
    }

    void release(ScratchMemory scratch) {
        image.unmap(scratch.address(), PageSize.alignUp(Math.max(1, scratch.size())));
    }

    public byte[] read(long address, int length) {
        return image.read(address, length);
    }

    /** Writes memory; the write is undone by the next restore (see {@link #writeBase} for one that stays). */
    public void write(long address, byte[] bytes) {
        changedSinceRestore = true;
        image.write(address, bytes);
    }

    /**
     * Writes memory as part of the base: restores keep it (a debugger's {@code set var} outside a call). Bounded
     * by {@link MemoryLimits#baseWriteBytes}.
     *
     * @throws ResourceLimitException when the base would hold more changed pages than the limit
     */
    public void writeBase(long address, byte[] bytes) {
        image.writeBase(address, bytes);
    }

    /**
     * Whether the page holding {@code address} was written by emulated code or through {@link #write} since the
     * last restore (base writes do not count); see {@link MemoryImage#writtenSinceRestore}.
     */
    public boolean writtenSinceRestore(long address) {
        return image.writtenSinceRestore(address);
    }

    /** Whether the memory at {@code address} was created (mapped by a call) since the last restore. */
    public boolean createdSinceRestore(long address) {
        return image.createdSinceRestore(address);
    }

    /** Bytes calls have mapped since the last restore (bounded by {@link MemoryLimits#callMemoryBytes}). */
    public long createdBytes() {
        return image.createdBytes();
    }

    /**
     * The permissions ({@link MemoryProtection} bits) the memory at {@code address} has now, after any mprotect
     * a call made; empty when nothing is mapped there.
     */
    public Optional<Integer> permissionsAt(long address) {
        return image.permissionsAt(address);
    }

    public long readLong(long address) {
        return readStruct(address, 8).getLong();
    }

    public void writeLong(long address, long value) {
        write(
                address,
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(value)
                        .array());
    }

    /** {@code size} bytes at {@code address} as a little-endian buffer, for reading a struct's fields. */
    public ByteBuffer readStruct(long address, int size) {
        return ByteBuffer.wrap(read(address, size)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes a struct laid out in a little-endian buffer (from position 0 to its limit). */
    public void writeStruct(long address, ByteBuffer struct) {
        ByteBuffer copy = struct.duplicate();
        copy.rewind();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        write(address, bytes);
    }

    /** The NUL-terminated string at {@code address} (UTF-8), at most {@code max} bytes. */
    public String readCString(long address, int max) {
        List<Byte> bytes = new ArrayList<>();
        for (long at = address; bytes.size() < max; at++) {
            byte b = image.read(at, 1)[0];
            if (b == 0) {
                break;
            }
            bytes.add(b);
        }
        byte[] raw = new byte[bytes.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = bytes.get(i);
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** Where an address lies and, when it has no memory, why (missing file, truncated core). */
    public String describe(long address) {
        return image.describe(address);
    }

    public String symbolize(long address) {
        return symbolizer.describe(address);
    }

    // ---- snapshots ----------------------------------------------------------------------------------

    public void saveSnapshot(String name) {
        snapshots.save(name);
    }

    public void restoreSnapshot(String name) {
        snapshots.restore(name);
        syscalls.onRestore();
    }

    public List<String> snapshots() {
        return snapshots.list();
    }

    public boolean deleteSnapshot(String name) {
        return snapshots.delete(name);
    }

    // ---- internals ----------------------------------------------------------------------------------

    /**
     * glibc keeps the program break in {@code __curbrk}; brk grows the heap from there. A process that never
     * grew its heap has none there yet: its break is where the kernel put it, past the executable's bss.
     */
    private long crashTimeProgramBreak() {
        long curbrk = symbols()
                .lookup("__curbrk")
                .map(s -> {
                    try {
                        return readLong(s.address());
                    } catch (RuntimeException unreadable) {
                        return 0L;
                    }
                })
                .orElse(0L);
        return curbrk != 0 ? curbrk : ProgramBreak.endOfExecutable(core, image).orElse(0L);
    }

    private LockWaitPolicy lockWaitPolicy() {
        LockPolicy policy = new LockPolicy(options.lockBypass(), core.threads(), core.symbols());
        return new GlibcLockWaitPolicy(policy, processMemory);
    }

    /** Until the patch plan exists (while resolvers run at load), any hopeless wait stops the run. */
    private static LockWaitPolicy stopAtEveryLockWait() {
        return (address, command, expected, tid) -> LockWaitPolicy.Decision.stop(
                "a futex wait at 0x" + Long.toHexString(address) + " while loading the core");
    }

    @Override
    public void close() {
        engine.close();
        snapshots.close();
        // The engine first, then the host memory it used: uc_close frees its regions at once, while unmapping
        // them one by one costs unicorn a TLB and jump-cache flush per page (seconds for a corrupt core's
        // huge mapping, 0.2 s at 8 GiB), and the image's own unmaps then find the engine closed.
        unicorn.close();
        image.close();
        if (ownsCore) {
            core.close();
        }
    }
}
